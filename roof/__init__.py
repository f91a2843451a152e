"""The roof: the URLs, the home page, the WSGI entry point and the Celery application with its schedule.

It may import every app; nothing imports it (docs/architecture.md). Loading this package (it is an
installed app) creates the Celery application, so tasks defined anywhere bind to it.
"""

from .celery import app as celery_app

__all__ = ("celery_app",)
