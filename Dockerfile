# The web, worker and beat image. System Chromium renders chart images for PDFs;
# Pango is what WeasyPrint lays PDFs out with.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 UV_PROJECT_ENVIRONMENT=/opt/venv PATH=/opt/venv/bin:$PATH
RUN apt-get update \
 && apt-get install -y --no-install-recommends chromium libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/* \
 && pip install --no-cache-dir uv

WORKDIR /srv/pmf
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev --all-extras --no-install-project
COPY . .
# collectstatic signs nothing, but production settings refuse to start without a good key and refuse any key
# written down (pmf/settings.py), so each build makes a random one that is used here and then forgotten.
RUN DJANGO_DEBUG=0 SECRET_KEY="$(python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
    ALLOWED_HOSTS=localhost python manage.py collectstatic --noinput

RUN useradd --create-home pmf && mkdir -p /srv/pmf/media && chown pmf /srv/pmf/media
USER pmf
EXPOSE 8000
CMD ["gunicorn", "roof.wsgi:application", "--bind", "0.0.0.0:8000"]
