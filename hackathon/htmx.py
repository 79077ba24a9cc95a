"""When a view answers an htmx request with a partial instead of the whole page."""

from __future__ import annotations

from django.http import HttpRequest


def wants_partial(request: HttpRequest) -> bool:
    """An htmx request that swaps a part of the page in.

    A history restore (the back button after htmx's cache was evicted) is sent by htmx
    too, but it replaces the whole page, so it gets the whole page.
    """
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.history_restore_request
