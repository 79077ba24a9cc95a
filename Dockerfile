# One image for web (gunicorn), worker and beat (celery) and the one-off migrate job.
# Build: docker build -t hackathon .   Run: see docker-compose.yml and README.md.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_ENV=production \
    MEDIA_ROOT=/data/media

RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --home-dir /app --no-create-home \
       --shell /usr/sbin/nologin app \
    && mkdir -p /app /data/media \
    && chown app:app /data/media

WORKDIR /app

# Dependencies first, in their own layer, so a code change does not reinstall them.
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" \
        > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

COPY . .
# The manifest of hashed static files is made at build time. The key is a placeholder
# only collectstatic sees; a running container refuses to start without a real one.
# Translations need no gettext here: the compiled .mo files are committed.
RUN pip install --no-deps . \
    && SECRET_KEY=collectstatic-at-build-time-only-never-used-to-sign-anything-0123456789 \
       ALLOWED_HOSTS=build.invalid \
       python manage.py collectstatic --noinput

USER app
EXPOSE 8000

# WEB_CONCURRENCY sets gunicorn's worker count; the proxy forwards X-Forwarded-* headers.
CMD ["gunicorn", "hackathon.wsgi", "--bind", "0.0.0.0:8000", "--access-logfile", "-", \
     "--forwarded-allow-ips", "*", "--timeout", "60", "--graceful-timeout", "30"]
