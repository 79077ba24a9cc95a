from __future__ import annotations

from datetime import datetime

from django import template

register = template.Library()


@register.filter(expects_localtime=True)
def tzname(value: datetime | None) -> str:
    """The zone abbreviation (CET, CEST, EDT) of an aware datetime in the active time zone.

    Django's `date:"T"` leaves it empty in the repeated hour of a daylight-saving
    change, exactly when "02:30 CEST" and "02:30 CET" must be told apart;
    `datetime.tzname()` honours `fold`.
    """
    if not isinstance(value, datetime) or value.tzinfo is None:
        return ""
    return value.tzname() or ""
