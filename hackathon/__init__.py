from hackathon import checks  # noqa: F401  (registers the deploy checks)
from hackathon.celery import app as celery_app

__all__ = ("celery_app",)
