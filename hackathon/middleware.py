from django.http import HttpRequest, HttpResponse, JsonResponse


def _bad_request(request: HttpRequest, message: str, *, attr: str | None) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse(
            {
                "type": "validation_error",
                "errors": [
                    {"code": "null_characters_not_allowed", "detail": message, "attr": attr}
                ],
            },
            status=400,
        )
    return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")


class RejectNullCharactersMiddleware:
    """A NUL character in the path or a query parameter is never valid input, and
    PostgreSQL refuses it in text; answer 400 here rather than fail deep inside a query."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path:
            return _bad_request(request, "The address contains a NUL character.", attr=None)
        for name, values in request.GET.lists():
            if "\x00" in name or any("\x00" in value for value in values):
                message = f"The parameter {name!r} contains a NUL character."
                return _bad_request(request, message, attr=name)
        return self.get_response(request)
