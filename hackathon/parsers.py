"""The API's JSON parser: refuses what would otherwise fail deep inside a view.

- Nesting deeper than MAX_DEPTH levels: Python's JSON decoder and every serializer after it
  recurse, so 2,000 levels end in a RecursionError (a 500). The depth is measured on the
  text, before anything is decoded.
- A lone surrogate (JSON "\\ud800"): no UTF-8 text can hold it, so nothing may store it, and
  an error message that quotes the input could not be rendered.

Both are a 400 whose `attr` names the field: the dotted path of the offending value (or
key), the top-level field for too deep a nesting.
"""

from __future__ import annotations

import re
from json import JSONDecodeError

from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ErrorDetail, ParseError, ValidationError
from rest_framework.utils import json

MAX_DEPTH = 32
# A JSON string literal, escapes included (the unrolled loop is linear, no backtracking).
_STRING = r'"[^"\\]*(?:\\.[^"\\]*)*"'
_STRINGS_AND_OTHER = re.compile(rf"{_STRING}|[^\[\]{{}}]+")
_INNERMOST_PAIRS = re.compile(r"[\[{][\]}]")
_TOKENS = re.compile(rf"{_STRING}|[\[\]{{}}:,]")
_SURROGATE = re.compile("[\ud800-\udfff]")
NON_FIELD = "non_field_errors"


def escape_surrogates(text: str) -> str:
    """The text with each lone surrogate written as its JSON escape, so it can be shown."""
    return _SURROGATE.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


def _too_deep(text: str, max_depth: int) -> bool:
    """Whether brackets nest deeper than max_depth, at C speed: without strings and
    everything but brackets, each pass removes the innermost pairs."""
    brackets = _STRINGS_AND_OTHER.sub("", text)
    for _level in range(max_depth):
        if not brackets:
            return False
        brackets = _INNERMOST_PAIRS.sub("", brackets)
    return bool(brackets)


def _deep_field(text: str, max_depth: int) -> tuple[bool, str | None]:
    """Walks the tokens until the nesting passes max_depth: (whether it does, the key of
    the top-level object it happens in, if any). Only called when _too_deep says so, and
    it may be wrong only for malformed JSON, which the decoder then refuses."""
    depth, key, previous = 0, None, None
    for match in _TOKENS.finditer(text):
        piece = match.group()
        if piece in "[{":
            depth += 1
            if depth > max_depth:
                return True, key
        elif piece in "]}":
            depth -= 1
        elif piece == ":" and depth == 1 and previous and previous.startswith('"'):
            try:
                key = json.loads(previous)
            except ValueError:
                key = None
        previous = piece
    return False, None


def _surrogate_paths(data, path: tuple = ()) -> list[str]:
    """Dotted paths of the strings (keys or values) that hold a lone surrogate."""
    found = []
    if isinstance(data, str):
        if _SURROGATE.search(data):
            found.append(".".join(path) or NON_FIELD)
    elif isinstance(data, dict):
        for key, value in data.items():
            if _SURROGATE.search(key):
                found.append(".".join((*path, escape_surrogates(key))))
            else:
                found.extend(_surrogate_paths(value, (*path, key)))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found.extend(_surrogate_paths(value, (*path, str(index))))
    return found


def _json_error(error: ValueError) -> str:
    """The decoder's complaint in the request's language: where it is, not Python's
    English words for it."""
    if isinstance(error, JSONDecodeError):
        return _("JSON parse error at line %(line)d, column %(column)d.") % {
            "line": error.lineno,
            "column": error.colno,
        }
    # strict_constant refuses NaN and Infinity; int() refuses more than 4,300 digits.
    return _("JSON parse error: a number is out of range (NaN, Infinity or too many digits).")


class JSONParser(parsers.JSONParser):
    max_depth = MAX_DEPTH

    def parse(self, stream, media_type=None, parser_context=None):
        encoding = parsers.get_encoding(parser_context or {})
        try:
            text = stream.read().decode(encoding)
        except (UnicodeDecodeError, LookupError):
            message = _("JSON parse error: the body is not text in %(encoding)s.")
            raise ParseError(message % {"encoding": encoding}) from None
        if _too_deep(text, self.max_depth):
            deep, key = _deep_field(text, self.max_depth)
            if deep:
                message = _("Nested too deeply: at most %(max)d levels.") % {"max": self.max_depth}
                field = escape_surrogates(key) if isinstance(key, str) else NON_FIELD
                raise ValidationError({field: [ErrorDetail(message, code="too_deep")]})
        try:
            parse_constant = json.strict_constant if self.strict else None
            data = json.loads(text, parse_constant=parse_constant)
        except ValueError as exc:
            raise ParseError(_json_error(exc)) from None
        paths = _surrogate_paths(data)
        if paths:
            message = _("Contains a character that is not valid Unicode (a lone surrogate).")
            raise ValidationError(
                {
                    path: [ErrorDetail(message, code="surrogate_characters_not_allowed")]
                    for path in paths
                }
            )
        return data
