from hackathon import (
    checks,  # noqa: F401  (registers the deploy checks)
    pagecache,  # noqa: F401  (watches writes, to invalidate cached pages)
)
from hackathon.celery import app as celery_app

__all__ = ("celery_app",)
