"""`manage.py seed_demo`: a believable, idempotent demo."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.urls import reverse

from accounts.models import User
from events.demo import DEMO_EVENT_SLUG, DEMO_PASSWORD, PAST_EVENT_SLUG, UPCOMING_EVENT_SLUG
from events.enums import PhaseKind
from events.management.commands.seed_demo import demo_steps
from events.models import Event, Phase
from events.roles import ORGANISERS_GROUP

pytestmark = pytest.mark.django_db


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def snapshot() -> dict:
    return {
        "users": sorted(
            User.objects.values_list("email", "display_name", "is_staff", "is_superuser")
        ),
        "addresses": sorted(EmailAddress.objects.values_list("email", "verified", "primary")),
        "events": sorted(Event.objects.values_list("pk", "slug", "name", "is_public")),
        "phases": sorted(Phase.objects.values_list("pk", "event__slug", "kind")),
        "organisers": sorted(
            Group.objects.get(name=ORGANISERS_GROUP).user_set.values_list("email", flat=True)
        ),
    }


def test_seed_demo_twice_gives_the_same_rows():
    seed()
    first = snapshot()

    seed()

    assert snapshot() == first
    assert len(first["users"]) >= 12
    assert len(first["events"]) >= 2


def test_seed_demo_prints_the_logins_with_the_password():
    output = seed()

    assert "admin@example.org" in output
    assert "orga@example.org" in output
    assert "lena.schmidt@example.org" in output
    assert DEMO_PASSWORD in output


def test_seed_demo_people_have_verified_primary_addresses_and_german_names():
    seed()

    participants = User.objects.filter(is_staff=False)
    assert participants.count() >= 10
    assert "Aylin Yılmaz" in set(participants.values_list("display_name", flat=True))
    for user in User.objects.all():
        assert EmailAddress.objects.filter(
            user=user, email=user.email, verified=True, primary=True
        ).exists()
        assert user.check_password(DEMO_PASSWORD)
    admin = User.objects.get(email="admin@example.org")
    assert admin.is_superuser and admin.is_staff
    organiser = User.objects.get(email="orga@example.org")
    assert organiser.is_staff and not organiser.is_superuser
    assert organiser.groups.filter(name=ORGANISERS_GROUP).exists()


def test_seed_demo_current_event_is_in_its_hackathon():
    seed()

    event = Event.objects.get(slug=DEMO_EVENT_SLUG)
    assert event.is_public
    assert event.name == "#WirVsVirus Demo"
    assert event.current_phase().kind == PhaseKind.HACKING
    assert {p.kind for p in event.phases.all()} == set(PhaseKind.values)
    hacking = event.phases.get(kind=PhaseKind.HACKING)
    assert (hacking.ends_at - hacking.starts_at).total_seconds() == 48 * 3600
    milestone = event.next_milestone()
    assert (milestone.kind, milestone.is_start, milestone.at) == (
        PhaseKind.SUBMISSION,
        False,
        hacking.ends_at,
    )


def test_seed_demo_past_event_is_finished():
    seed()

    event = Event.objects.get(slug=PAST_EVENT_SLUG)
    assert event.current_phase() is None
    assert event.next_milestone() is None
    hacking = event.phases.get(kind=PhaseKind.HACKING)
    assert event.localtime(hacking.starts_at).date().isoformat() == "2021-03-19"


def test_seed_demo_has_an_edition_taking_challenges_now(client):
    """The running edition's intake closed before its hackathon: without this one,
    "Submit a challenge" led to "challenge submission closed" on every demo event."""
    from challenges.services import intake_state

    seed()

    upcoming = Event.objects.get(slug=UPCOMING_EVENT_SLUG)
    assert upcoming.is_public
    assert intake_state(event=upcoming)[0] is True
    assert intake_state(event=Event.objects.get(slug=DEMO_EVENT_SLUG))[0] is False
    page = client.get(reverse("events:detail", args=[UPCOMING_EVENT_SLUG])).content.decode()
    assert reverse("challenges:create", args=[UPCOMING_EVENT_SLUG]) in page


def test_seed_demo_running_edition_stays_the_catalogues_first_event():
    seed()
    # A demo database seeded before the upcoming edition existed gets it as its newest row.
    Event.objects.filter(slug=UPCOMING_EVENT_SLUG).update(
        created_at=Event.objects.get(slug=DEMO_EVENT_SLUG).created_at + timedelta(minutes=1)
    )

    seed()

    assert Event.objects.first().slug == DEMO_EVENT_SLUG


def test_seed_demo_participant_can_log_in_with_mandatory_verification(client, settings):
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"
    seed()

    response = client.post(
        reverse("account_login"),
        {"login": "lena.schmidt@example.org", "password": DEMO_PASSWORD},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_seed_demo_organiser_can_manage_events_in_the_admin(client):
    seed()
    client.force_login(User.objects.get(email="orga@example.org"))

    response = client.get(reverse("admin:events_event_changelist"))

    assert response.status_code == 200
    assert "#WirVsVirus Demo" in response.content.decode()


def test_seed_demo_home_page_shows_the_demo_event(client):
    seed()

    html = client.get(reverse("home")).content.decode()

    assert "#WirVsVirus Demo" in html
    assert "UpdateDeutschland 2021" in html
    assert html.index("#WirVsVirus Demo") < html.index("UpdateDeutschland 2021")


def test_seed_demo_refuses_in_production(settings):
    settings.PRODUCTION = True

    with pytest.raises(CommandError, match="production"):
        call_command("seed_demo", stdout=StringIO())
    assert not User.objects.exists()


def test_seed_demo_steps_come_from_each_app_demo_module_in_app_order():
    labels = [label for label, _seed in demo_steps()]

    assert "events" in labels
    assert all(callable(step) for _label, step in demo_steps())
