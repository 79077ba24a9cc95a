"""The API's JSON renderer: never fails on text that UTF-8 cannot hold."""

from __future__ import annotations

from rest_framework import renderers


class JSONRenderer(renderers.JSONRenderer):
    """DRF's renderer writes non-ASCII characters as they are, which fails for a lone
    surrogate (it has no UTF-8 form). Such a response is written with every non-ASCII
    character escaped instead: the same JSON, and it always renders."""

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        try:
            return super().render(data, accepted_media_type, renderer_context)
        except UnicodeEncodeError:
            return _EscapingJSONRenderer().render(data, accepted_media_type, renderer_context)


class _EscapingJSONRenderer(renderers.JSONRenderer):
    ensure_ascii = True
