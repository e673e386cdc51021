# One image for the web service, the Celery worker and beat (see docker-compose.yml).
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# WeasyPrint (PDF reports) needs Pango, HarfBuzz's subsetter and at least one font.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

# An unprivileged user: it owns only its data folder and the collected static files.
RUN useradd --system --uid 10001 --user-group --home-dir /app --no-create-home \
        --shell /usr/sbin/nologin remote-learning

WORKDIR /app

COPY requirements.lock ./
RUN pip install --requirement requirements.lock

COPY . .

# Gather static files into the image. The key and host only let the production settings load
# for this step: nothing is signed at build time, and the real values come from the
# environment at run time.
RUN DJANGO_DEBUG=false \
    DJANGO_SECRET_KEY=build-only-collectstatic-key-never-used-at-run-time-0123456789 \
    DJANGO_ALLOWED_HOSTS=build.invalid \
    DJANGO_STATIC_ROOT=/app/staticfiles \
    python manage.py collectstatic --noinput \
    && mkdir -p /var/lib/remote-learning/documents \
    && chmod 700 /var/lib/remote-learning/documents \
    && chown -R remote-learning:remote-learning /app/staticfiles /var/lib/remote-learning

USER remote-learning

ENV DJANGO_DEBUG=false \
    DJANGO_VAR_DIR=/var/lib/remote-learning \
    DJANGO_STATIC_ROOT=/app/staticfiles

EXPOSE 8000

CMD ["gunicorn", "remote_learning.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "60"]
