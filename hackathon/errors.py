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

from collections.abc import Iterable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext, gettext_lazy, ngettext
from django.views import defaults
from drf_standardized_errors import handler as standardized_handler
from rest_framework import exceptions, status
from rest_framework.exceptions import ErrorDetail

from hackathon.renderers import JSONRenderer


class DomainError(Exception):
    """An action a service refuses; the message says why, in words a person can read.

    Every app's error derives from it (TeamError, ProjectError, ...): views show it as a
    form error, the API's exception_handler as a 400 (a 409 when `conflict`).

    `field` names the field it is about (or None); `missing` lists the fields a step
    still needs; `conflict` says the request was fine but the object's state refuses it
    (the deadline has passed, it is not submitted).
    """

    def __init__(
        self,
        message: str,
        *,
        field: str | None = None,
        missing: Iterable[str] = (),
        conflict: bool = False,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.missing = list(missing)
        self.conflict = conflict

    @property
    def status_code(self) -> int:
        """How a page answers the refusal, as the API does: 409 for a conflict, else 400."""
        return 409 if self.conflict else 400


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = gettext_lazy("This cannot be changed now.")
    default_code = "conflict"


def domain_error_as_api_exception(error: DomainError) -> exceptions.APIException:
    """The API's answer to a service's refusal: a 409 for a conflict, else a 400 whose
    `attr` is the error's field (the services name fields as the forms and serializers
    do), or non_field_errors."""
    if error.conflict:
        return Conflict(error.message)
    if error.missing:
        required = gettext("Required for submitting.")
        return exceptions.ValidationError(
            {field: [ErrorDetail(required, code="required")] for field in error.missing}
            | {"non_field_errors": [ErrorDetail(error.message, code="incomplete")]}
        )
    return exceptions.ValidationError({error.field or "non_field_errors": [error.message]})


def throttled_in_the_requests_language(exc: exceptions.Throttled) -> exceptions.Throttled:
    """DRF fills the seconds into its sentence before looking it up, so no catalogue has
    it and the wait is always said in English; this says it in the request's language."""
    message = ngettext(
        "Too many requests: try again in %(wait)d second.",
        "Too many requests: try again in %(wait)d seconds.",
        exc.wait,
    ) % {"wait": exc.wait}
    throttled = exceptions.Throttled(detail=message)
    throttled.wait = exc.wait  # the Retry-After header
    return throttled


# SessionAuthentication's refusal: 'CSRF Failed: ' and Django's reason, neither translated.
_CSRF_FAILED = "CSRF Failed: "


def csrf_refusal_in_the_requests_language() -> exceptions.PermissionDenied:
    return exceptions.PermissionDenied(
        gettext(
            "CSRF check failed: a request with the session cookie sends the csrftoken "
            "cookie's value in the X-CSRFToken header. Scripts use an API token instead."
        )
    )


class ExceptionHandler(standardized_handler.ExceptionHandler):
    """drf-standardized-errors' handler (DRF_STANDARDIZED_ERRORS["EXCEPTION_HANDLER_CLASS"]),
    which also answers a service's DomainError. As its class rather than a handler function
    of our own, so drf-standardized-errors still documents every operation's errors."""

    def convert_known_exceptions(self, exc: Exception) -> Exception:
        if isinstance(exc, DomainError):
            return domain_error_as_api_exception(exc)
        if isinstance(exc, exceptions.Throttled) and exc.wait is not None:
            return throttled_in_the_requests_language(exc)
        if isinstance(exc, exceptions.PermissionDenied) and str(exc.detail).startswith(
            _CSRF_FAILED
        ):
            return csrf_refusal_in_the_requests_language()
        return super().convert_known_exceptions(exc)

    def convert_unhandled_exceptions(self, exc: Exception) -> exceptions.APIException:
        # drf-standardized-errors' generic text, translated (it passes the English literal).
        if not isinstance(exc, exceptions.APIException):
            return exceptions.APIException(detail=gettext("Server Error (500)"))
        return exc


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
        return api_error_response(status=500, code="error", detail=gettext("Server Error (500)"))
    return defaults.server_error(request)


class JSONErrorsMixin:
    """For an API view that renders something other than JSON (the YAML schema, the docs
    page): its errors (a 405, a 406) are JSON all the same."""

    def handle_exception(self, exc):
        response = super().handle_exception(exc)
        self.request.accepted_renderer = JSONRenderer()
        self.request.accepted_media_type = JSONRenderer.media_type
        return response
