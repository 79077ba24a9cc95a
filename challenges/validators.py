from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from challenges.enums import AGS_STATE_PREFIX

_AGS_PATTERN = re.compile(r"^\d{8}$")


def validate_municipality_key(value: str) -> None:
    """An Amtlicher Gemeindeschlüssel: eight digits, starting with a state code 01–16."""
    if not _AGS_PATTERN.match(value or ""):
        raise ValidationError(
            _("The municipality key (AGS) has exactly 8 digits, e.g. 11000000 for Berlin."),
            code="ags_format",
        )
    if value[:2] not in AGS_STATE_PREFIX:
        raise ValidationError(
            _("The municipality key (AGS) must start with a state code from 01 to 16."),
            code="ags_state",
        )


def municipality_key_state_errors(*, state: str, municipality_key: str) -> dict[str, str]:
    """Errors when the AGS names another state than the one chosen; empty when consistent."""
    if not municipality_key or not state or not _AGS_PATTERN.match(municipality_key):
        return {}
    expected = AGS_STATE_PREFIX.get(municipality_key[:2])
    if expected is not None and expected != state:
        return {
            "municipality_key": str(
                _("This municipality key belongs to %(state)s, not to the state chosen.")
                % {"state": expected.label}
            )
        }
    return {}
