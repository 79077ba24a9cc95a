"""Errors under /api/ are JSON in drf-standardized-errors' shape, wherever they arise.

DRF's exception handler covers what happens inside an API view. What happens before one
is found (an unknown path: 404), outside DRF (a crash in a middleware: 500), or in the API
views that render something else (the YAML schema, the docs page) is answered here in
the same shape:

    {"type": "client_error", "errors": [{"code": "not_found", "detail": "...", "attr": null}]}

Elsewhere the site keeps Django's HTML pages. (With DEBUG on, Django shows its technical
404 page instead of calling handler404.)
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views import defaults
from rest_framework import exceptions

from hackathon.renderers import JSONRenderer


def is_api_path(path: str) -> bool:
    return path == "/api" or path.startswith("/api/")


def api_error_response(
    *, status: int, code: str, detail: str, attr: str | None = None, type: str | None = None
) -> JsonResponse:
    error_type = type or ("client_error" if status < 500 else "server_error")
    body = {"type": error_type, "errors": [{"code": code, "detail": str(detail), "attr": attr}]}
    return JsonResponse(body, status=status)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    if is_api_path(request.path):
        return api_error_response(
            status=400, code="bad_request", detail=exceptions.ParseError.default_detail
        )
    return defaults.bad_request(request, exception)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    if is_api_path(request.path):
        return api_error_response(
            status=403,
            code=exceptions.PermissionDenied.default_code,
            detail=exceptions.PermissionDenied.default_detail,
        )
    return defaults.permission_denied(request, exception)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if is_api_path(request.path):
        return api_error_response(
            status=404,
            code=exceptions.NotFound.default_code,
            detail=exceptions.NotFound.default_detail,
        )
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    if is_api_path(request.path):
        # The same generic text as drf-standardized-errors: nothing about the failure leaks.
        return api_error_response(status=500, code="error", detail="Server Error (500)")
    return defaults.server_error(request)


class JSONErrorsMixin:
    """For an API view that renders something other than JSON (the YAML schema, the docs
    page): its errors (a 405, a 406) are JSON all the same."""

    def handle_exception(self, exc):
        response = super().handle_exception(exc)
        self.request.accepted_renderer = JSONRenderer()
        self.request.accepted_media_type = JSONRenderer.media_type
        return response
