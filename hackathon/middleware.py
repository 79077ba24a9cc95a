from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions

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
            return _refuse(request, _("The address contains a NUL character."), attr=None)
        for name, values in request.GET.lists():
            if "\x00" in name or any("\x00" in value for value in values):
                # repr(): the name itself may hold the NUL, which is shown escaped.
                message = _("The parameter %(name)s contains a NUL character.") % {
                    "name": repr(name)
                }
                return _refuse(request, message, attr=name)
        return self.get_response(request)


_API_ERROR_CODES = {
    400: "bad_request",
    401: "not_authenticated",
    403: "permission_denied",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    413: "request_too_large",
    415: "unsupported_media_type",
    429: "throttled",
}


# What an error that came without an API body says (DRF's words: DRF ships them in German).
_API_ERROR_DETAILS = {
    400: exceptions.ParseError.default_detail,
    401: exceptions.NotAuthenticated.default_detail,
    403: exceptions.PermissionDenied.default_detail,
    404: exceptions.NotFound.default_detail,
    405: exceptions.MethodNotAllowed.default_detail,
    406: exceptions.NotAcceptable.default_detail,
    415: exceptions.UnsupportedMediaType.default_detail,
    429: exceptions.Throttled.default_detail,
    500: gettext_lazy("Server Error (500)"),
}


def _api_error_detail(request: HttpRequest, status: int) -> str:
    """The detail for a status, in the request's language. The language middlewares may
    not have run (an error before them), and then nothing has activated it yet."""
    language = getattr(request, "LANGUAGE_CODE", None)
    with translation.override(language or translation.get_language_from_request(request)):
        detail = _API_ERROR_DETAILS.get(status)
        if detail is None:
            return _("HTTP error %(status)d.") % {"status": status}
        return str(detail).format(method=request.method, media_type=request.content_type)


class APIJSONErrorsMiddleware:
    """The last word on errors under /api/: one that is not JSON yet (Django's technical
    404 page with DEBUG on, an HTML page from a part that knows nothing of the API) is
    answered in the API's error shape, with the status it had."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code >= 400
            and is_api_path(request.path)
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            status = response.status_code
            replacement = api_error_response(
                status=status,
                code=_API_ERROR_CODES.get(status, "error"),
                detail=_api_error_detail(request, status),
            )
            for header in ("Allow", "Retry-After", "WWW-Authenticate"):
                if header in response:
                    replacement[header] = response[header]
            return replacement
        return response
