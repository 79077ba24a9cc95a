"""Visibility, curation-safe re-imports and bad input that must never become a 500."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from challenges import services
from challenges.csv_io import challenges_export_csv, challenges_import_csv
from challenges.enums import ChallengeStatus
from challenges.models import Challenge
from tests.challenges.test_csv import HEADER, ROW_1, ROW_2, _csv
from tests.factories import ChallengeFactory, EventFactory, TopicFactory, UserFactory

pytestmark = pytest.mark.django_db
LIST = "/api/v1/challenges/"


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def test_challenges_of_unpublished_event_are_not_public(client, organiser):
    hidden_event = EventFactory(is_public=False)
    challenge = ChallengeFactory(event=hidden_event)
    api = APIClient()
    assert client.get(challenge.get_absolute_url()).status_code == 404
    assert api.get(LIST).json()["count"] == 0
    assert api.get(f"{LIST}{challenge.number}/").status_code == 404
    assert challenge.title not in client.get(reverse("challenges:list")).content.decode()
    client.force_login(organiser)
    assert client.get(challenge.get_absolute_url()).status_code == 200


def test_reimport_keeps_curation_and_only_moves_forward(event, organiser):
    raw = _csv(ROW_1.replace(",published", ","), ROW_2.replace(",submitted", ",")).encode()
    challenges_import_csv(event=event, raw=raw)
    first = Challenge.objects.get(external_id="bmi-1")
    second = Challenge.objects.get(external_id="nrw-7")
    services.challenge_publish(challenge=first, actor=organiser)
    services.challenge_reject(challenge=second, actor=organiser, reason="Doppelt")

    result = challenges_import_csv(event=event, raw=raw)
    assert result.ok, result.errors
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == ChallengeStatus.PUBLISHED
    assert second.status == ChallengeStatus.REJECTED
    assert second.rejection_reason == "Doppelt"

    third_raw = _csv(ROW_2.replace(",submitted", ",published")).encode()
    challenges_import_csv(event=event, raw=third_raw)
    second.refresh_from_db()
    assert second.status == ChallengeStatus.REJECTED  # no way back from a rejection by file


def test_reimport_moves_submitted_forward(event):
    challenges_import_csv(event=event, raw=_csv(ROW_2).encode())
    challenges_import_csv(event=event, raw=_csv(ROW_2.replace(",submitted", ",published")).encode())
    challenge = Challenge.objects.get(external_id="nrw-7")
    assert challenge.status == ChallengeStatus.PUBLISHED
    assert challenge.published_at is not None


def test_export_of_curated_and_web_challenges_imports_again(event, organiser):
    rejected = ChallengeFactory(event=event, status=ChallengeStatus.REJECTED, external_id="")
    web = ChallengeFactory(event=event, external_id="", title='=HYPERLINK("x") Formel')
    buffer = io.StringIO()
    challenges_export_csv(Challenge.objects.order_by("pk"), buffer)
    assert "'=HYPERLINK" in buffer.getvalue()

    edited = buffer.getvalue().replace("Formel", "Formel geändert")
    result = challenges_import_csv(event=event, raw=edited.encode())
    assert result.ok, result.errors
    assert (result.created, result.updated) == (0, 2)
    web.refresh_from_db()
    rejected.refresh_from_db()
    assert web.title == '=HYPERLINK("x") Formel geändert'
    assert rejected.status == ChallengeStatus.REJECTED


def test_import_number_of_another_event_is_an_error(event):
    other = ChallengeFactory()
    row = f"{HEADER},number\n" + ROW_1.replace("bmi-1", "") + f",{other.number}\n"
    result = challenges_import_csv(event=event, raw=row.encode())
    assert not result.ok
    assert result.errors[0].field == "number"


def test_import_with_huge_field_reports_instead_of_crashing(event):
    raw = _csv(ROW_1.replace("Bürgerinnen und Bürger", '"' + "x" * 200_000 + '"')).encode()
    result = challenges_import_csv(event=event, raw=raw)
    assert not result.ok
    assert result.errors[-1].field in ("file", "affected")
    assert not Challenge.objects.exists()


def test_import_names_first_line_of_multiline_record(event):
    multiline = ROW_2.replace(
        '"Schulen in NRW haben keinen gemeinsamen Kanal für Lehrmaterial."',
        '"Schulen in NRW haben\nkeinen gemeinsamen\nKanal für Lehrmaterial."',
    )
    bad = ROW_1.replace("max@example.org", "kaputt")
    result = challenges_import_csv(event=event, raw=_csv(multiline, bad).encode())
    assert [(e.line, e.field) for e in result.errors] == [(5, "contact_email")]


@pytest.mark.parametrize(
    ("start", "allowed"),
    [
        (ChallengeStatus.DRAFT, False),
        (ChallengeStatus.SUBMITTED, True),
        (ChallengeStatus.IN_REVIEW, True),
        (ChallengeStatus.PUBLISHED, True),
        (ChallengeStatus.REJECTED, False),
    ],
)
def test_challenge_reject_from_states(event, organiser, start, allowed):
    challenge = ChallengeFactory(event=event, status=start)
    if allowed:
        services.challenge_reject(challenge=challenge, actor=organiser, reason="Nein")
        challenge.refresh_from_db()
        assert challenge.status == ChallengeStatus.REJECTED
    else:
        with pytest.raises(services.ChallengeError):
            services.challenge_reject(challenge=challenge, actor=organiser, reason="Nein")


@pytest.mark.parametrize(
    "target_status",
    [
        ChallengeStatus.DRAFT,
        ChallengeStatus.SUBMITTED,
        ChallengeStatus.IN_REVIEW,
        ChallengeStatus.REJECTED,
    ],
)
def test_merge_only_into_published(event, organiser, target_status):
    target = ChallengeFactory(event=event, status=target_status)
    source = ChallengeFactory(event=event)
    with pytest.raises(services.ChallengeError, match="published"):
        services.challenges_merge(challenges=[source], into=target, actor=organiser)
    source.refresh_from_db()
    assert source.status == ChallengeStatus.PUBLISHED


def test_assign_topic_and_owner_add_refused_for_non_organisers(event, giver):
    challenge = ChallengeFactory(event=event)
    with pytest.raises(services.ChallengeError):
        services.challenges_assign_topic(
            challenges=[challenge], topic=TopicFactory(event=event), actor=giver
        )
    with pytest.raises(services.ChallengeError):
        services.challenge_owner_add(challenge=challenge, user=giver, actor=giver)


def test_owner_add_refused_for_unpublished(event, organiser, giver):
    challenge = ChallengeFactory(event=event, status=ChallengeStatus.IN_REVIEW)
    with pytest.raises(services.ChallengeError):
        services.challenge_owner_add(challenge=challenge, user=giver, actor=organiser)


def test_owners_shown_on_challenge_page(client, event, organiser):
    challenge = ChallengeFactory(event=event)
    godparent = UserFactory(display_name="Patin Petra", email="petra@example.org")
    services.challenge_owner_add(challenge=challenge, user=godparent, actor=organiser)
    body = client.get(challenge.get_absolute_url()).content.decode()
    assert "Patin Petra" in body
    assert "petra@example.org" not in body


@pytest.mark.parametrize(
    "params",
    [{"search": "a\x00b"}, {"event": "\x00"}, {"topic": "x\x00"}],
)
def test_api_null_characters_are_400(params):
    response = APIClient().get(LIST, params)
    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] in params


def test_web_null_characters_are_400(client):
    assert client.get(reverse("challenges:list"), {"q": "\x00"}).status_code == 400


@pytest.mark.parametrize(
    ("param", "value"),
    [("giver_type", "ministry"), ("state", "open"), ("bundesland", "XX"), ("event", "not a slug")],
)
def test_api_invalid_filter_names_the_parameter(param, value):
    response = APIClient().get(LIST, {param: value})
    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == param


def test_api_topic_slug_resolved_within_the_event(event, giver):
    TopicFactory(event=EventFactory(), slug="bildung")
    mine = TopicFactory(event=event, slug="bildung")
    api = APIClient()
    api.force_authenticate(giver)
    from tests.challenges.test_api import _payload

    response = api.post(LIST, _payload(event, topic="bildung"), format="json")
    assert response.status_code == 201, response.json()
    assert Challenge.objects.get().topic == mine
    response = api.post(LIST, _payload(event, topic="gibt-es-nicht"), format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "topic"


def test_api_list_query_count_constant_for_organisers(event, organiser):
    api = APIClient()
    api.force_authenticate(organiser)
    target = ChallengeFactory(event=event)
    ChallengeFactory.create_batch(3, event=event, status=ChallengeStatus.MERGED, merged_into=target)
    api.get(LIST)  # the first request caches the organiser check on the user
    with CaptureQueriesContext(connection) as few:
        assert api.get(LIST).status_code == 200
    ChallengeFactory.create_batch(
        30, event=event, status=ChallengeStatus.MERGED, merged_into=target
    )
    with CaptureQueriesContext(connection) as many:
        assert api.get(LIST).status_code == 200
    assert len(few) == len(many)


def test_admin_added_challenge_is_submitted_with_number(client, organiser, event):
    from django.contrib.auth.models import Permission

    organiser.user_permissions.add(*Permission.objects.filter(content_type__app_label="challenges"))
    client.force_login(organiser)
    response = client.post(
        reverse("admin:challenges_challenge_add"),
        {
            "event": event.pk,
            "title": "Telefonisch eingegangene Challenge",
            "problem": "Eine Bürgerin hat angerufen und ein Problem mit der Terminvergabe geschildert.",
            "affected": "Ältere Menschen ohne Internet",
            "desired_outcome": "Termine auch telefonisch buchen können.",
            "giver_type": "citizen",
            "contact_name": "Anruferin",
            "contact_email": "anruf@example.org",
            "ownerships-TOTAL_FORMS": "0",
            "ownerships-INITIAL_FORMS": "0",
            "ownerships-MIN_NUM_FORMS": "0",
            "ownerships-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    challenge = Challenge.objects.get()
    assert challenge.status == ChallengeStatus.SUBMITTED
    assert challenge.number == 100_000 + challenge.pk
    services.challenge_publish(challenge=challenge, actor=organiser)


def test_admin_export_with_unknown_parameter_redirects(client, organiser):
    from django.contrib.auth.models import Permission

    organiser.user_permissions.add(*Permission.objects.filter(content_type__app_label="challenges"))
    client.force_login(organiser)
    response = client.get(reverse("admin:challenges_challenge_export"), {"bogus": "1"})
    assert response.status_code == 302
    assert "e=1" in response["Location"]
