from __future__ import annotations

import logging

import redis
from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from events.selectors import events_for_home, schedule_shown_until
from hackathon.pagecache import cache_page_for_anonymous, expire_at

logger = logging.getLogger(__name__)


@require_GET
@cache_page_for_anonymous("events")
def home(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    events = events_for_home(user=request.user, now=now)
    expire_at(request, schedule_shown_until(events=events, now=now))
    return render(request, "home.html", {"events": events})


def _check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def _check_redis() -> str:
    client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2)
    try:
        client.ping()
    finally:
        client.close()
    return "ok"


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when every configured dependency answers, 503 naming the ones that don't."""
    checks = {"database": _check_database}
    if settings.REDIS_URL:
        checks["redis"] = _check_redis
    results: dict[str, str] = {}
    down: list[str] = []
    for name, check in checks.items():
        try:
            results[name] = check()
        except Exception as exc:  # any failure means "down"
            # The page is public: it names the kind of failure, the log has the details.
            logger.warning("healthz: %s is down: %s", name, exc)
            results[name] = f"down: {exc.__class__.__name__}"
            down.append(name)
    body = {"status": "ok" if not down else "error", "checks": results, "down": down}
    return JsonResponse(body, status=503 if down else 200)
