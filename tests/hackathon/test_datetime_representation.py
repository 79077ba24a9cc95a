"""hackathon.serializers.datetime_representation gives what DRF's DateTimeField gives, for
the lists written from plain values (challenges, projects)."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from rest_framework import serializers

from hackathon.serializers import datetime_representation

VALUES = [
    None,
    datetime(2026, 12, 1, 9, 30, 15, 123456, tzinfo=UTC),  # winter: +01:00 in Berlin
    datetime(2026, 7, 1, 9, 30, tzinfo=UTC),  # summer: +02:00
    datetime(2026, 7, 1, 9, 30, tzinfo=ZoneInfo("America/New_York")),
    datetime(2026, 7, 1, 9, 30),  # naive: DRF makes it aware
    "2026-07-01T09:30:00Z",  # a string is passed on
]


@pytest.mark.parametrize("zone", ["Europe/Berlin", "UTC", "Asia/Kolkata"])
def test_the_same_text_as_drf_in_every_active_time_zone(zone):
    with timezone.override(zone):
        drf = serializers.DateTimeField()
        represent = datetime_representation()

        assert [represent(value) for value in VALUES] == [
            drf.to_representation(value) for value in VALUES
        ]


def test_utc_ends_in_z_as_with_drf():
    with timezone.override("UTC"):
        assert datetime_representation()(VALUES[1]) == "2026-12-01T09:30:15.123456Z"
    with timezone.override("Europe/Berlin"):
        assert datetime_representation()(VALUES[1]) == "2026-12-01T10:30:15.123456+01:00"
        assert datetime_representation()(VALUES[2]) == "2026-07-01T11:30:00+02:00"


def test_a_field_with_its_own_format_or_zone_is_followed():
    formatted = serializers.DateTimeField(format="%d.%m.%Y %H:%M")
    zoned = serializers.DateTimeField(default_timezone=ZoneInfo("Asia/Tokyo"))

    with timezone.override("Europe/Berlin"):
        assert datetime_representation(formatted)(VALUES[1]) == "01.12.2026 10:30"
        assert datetime_representation(zoned)(VALUES[1]) == "2026-12-01T18:30:15.123456+09:00"
