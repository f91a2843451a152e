import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pmf.settings")
application = get_wsgi_application()

# The application's own objects (Django, the URL map, loaded modules) live as long as the process: keep them
# out of the collector's way, so a full collection during a request scans only what the request made. On the
# large trust's IPR and dashboard pages this halves the 95th percentile (bench/pages.py).
gc.freeze()
