from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _

from hackathon.errors import api_error_response, is_api_path


def _refuse(
    request: HttpRequest,
    message: str,
    *,
    attr: str | None,
    code: str = "null_characters_not_allowed",
    status: int = 400,
) -> HttpResponse:
    if is_api_path(request.path):
        return api_error_response(
            status=status,
            code=code,
            detail=message,
            attr=attr,
            type="client_error" if status == 413 else "validation_error",
        )
    return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")


class RequestSizeLimitMiddleware:
    """Refuses a request whose Content-Length is larger than anything the site takes (the
    largest is a CSV import), before anything reads the body. A chunked body (no
    Content-Length) is not judged here: deploy/Caddyfile holds the same limit at the
    proxy for every body, and Django's own upload limits apply to the form fields."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.MAX_REQUEST_BYTES:
            # Before the locale middleware: the language comes from the request itself.
            with translation.override(translation.get_language_from_request(request)):
                message = _("The upload is too large: at most %(max)d MB per request.") % {
                    "max": settings.MAX_REQUEST_BYTES // (1024 * 1024)
                }
            return _refuse(request, message, attr=None, code="request_too_large", status=413)
        return self.get_response(request)


class RejectNullCharactersMiddleware:
    """A NUL character in the path or a query parameter is never valid input, and
    PostgreSQL refuses it in text; answer 400 here rather than fail deep inside a query."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path:
            return _refuse(request, "The address contains a NUL character.", attr=None)
        for name, values in request.GET.lists():
            if "\x00" in name or any("\x00" in value for value in values):
                message = f"The parameter {name!r} contains a NUL character."
                return _refuse(request, message, attr=name)
        return self.get_response(request)
