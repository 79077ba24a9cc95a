from django.http import HttpRequest, HttpResponse, JsonResponse


class RejectNullCharactersMiddleware:
    """A NUL character in a query parameter is never valid input, and PostgreSQL refuses it
    in text; answer 400 here rather than fail deep inside a query."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        for name, values in request.GET.lists():
            if "\x00" in name or any("\x00" in value for value in values):
                message = f"The parameter {name!r} contains a NUL character."
                if request.path.startswith("/api/"):
                    return JsonResponse(
                        {
                            "type": "validation_error",
                            "errors": [
                                {
                                    "code": "null_characters_not_allowed",
                                    "detail": message,
                                    "attr": name,
                                }
                            ],
                        },
                        status=400,
                    )
                return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
