"""Deployment checks of our own, run by `manage.py check --deploy`."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.caches, deploy=True)
def check_shared_state(app_configs, **kwargs) -> list[Warning]:
    """In production nothing may live inside one process, or several web processes disagree."""
    if settings.PRODUCTION and not settings.REDIS_URL:
        return [
            Warning(
                "REDIS_URL is not set: cache, rate limits and the task queue stay inside "
                "each process, and Celery tasks run in the web request.",
                hint="Set REDIS_URL to a Redis server shared by every web and worker process.",
                id="hackathon.W001",
            )
        ]
    return []
