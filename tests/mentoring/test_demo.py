from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from events.demo import DEMO_EVENT_SLUG
from mentoring.models import HelpRequest
from participants.demo import MENTOR

pytestmark = pytest.mark.django_db


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def rows() -> list:
    return sorted(
        HelpRequest.objects.values_list("pk", "team__name", "status", "mentor__email", "skill")
    )


def test_demo_help_requests_in_every_state_and_idempotent():
    output = seed()
    first = rows()
    seed()

    assert rows() == first
    assert sorted(status for _pk, _team, status, _mentor, _skill in first) == [
        "claimed",
        "closed",
        "open",
        "open",
    ]
    assert "help requests" in output


def test_demo_mentor_sees_the_board_with_a_fitting_request_first(client):
    seed()
    client.login(email=MENTOR[0], password="demo-passwort")

    response = client.get(reverse("mentoring:board", args=[DEMO_EVENT_SLUG]))

    body = response.content.decode()
    assert response.status_code == 200
    assert body.index("Bettenradar") < body.index("Lernbrücke")
    assert body.index('data-testid="fits"') < body.index("Lernbrücke")
