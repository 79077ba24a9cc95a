from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from challenges import services
from challenges.enums import ChallengeStatus
from challenges.models import Challenge
from tests.factories import ChallengeFactory, EventFactory, TopicFactory, UserFactory

LIST = "/api/v1/challenges/"

pytestmark = pytest.mark.django_db


def test_catalogue_lists_published_only(client, event):
    published = ChallengeFactory(event=event, title="Öffentliche Herausforderung")
    target = ChallengeFactory(event=event)
    merged = ChallengeFactory(
        event=event, status=ChallengeStatus.MERGED, merged_into=target, title="Versteckt merged"
    )
    hidden = [merged] + [
        ChallengeFactory(event=event, status=status, title=f"Versteckt {status}")
        for status in (
            ChallengeStatus.DRAFT,
            ChallengeStatus.SUBMITTED,
            ChallengeStatus.IN_REVIEW,
            ChallengeStatus.REJECTED,
        )
    ]
    response = client.get(reverse("challenges:list"), {"event": event.slug})
    assert response.status_code == 200
    body = response.content.decode()
    assert published.title in body
    for challenge in hidden:
        assert challenge.title not in body


def test_catalogue_filters_by_topic_and_shows_counts(client, event):
    topic = TopicFactory(event=event, name="Bildung", slug="bildung")
    ChallengeFactory(event=event, topic=topic, title="Lernplattform für Schulen")
    ChallengeFactory(event=event, title="Nachbarschaftshilfe organisieren")
    response = client.get(reverse("challenges:list"), {"event": event.slug, "topic": "bildung"})
    body = response.content.decode()
    assert "Lernplattform für Schulen" in body
    assert "Nachbarschaftshilfe organisieren" not in body
    assert 'Bildung</a> <span class="muted">(1)</span>' in body


def test_catalogue_search_finds_stemmed_word(client, event):
    ChallengeFactory(event=event, title="Digitale Schule im Lockdown")
    ChallengeFactory(event=event, title="Einkaufshilfe für Risikogruppen")
    response = client.get(reverse("challenges:list"), {"event": event.slug, "q": "Schulen"})
    body = response.content.decode()
    assert "Digitale Schule im Lockdown" in body
    assert "Einkaufshilfe" not in body


def test_catalogue_sort_by_support(client, event):
    low = ChallengeFactory(event=event, title="Wenig Unterstützung", support_count=1)
    high = ChallengeFactory(event=event, title="Viel Unterstützung", support_count=9)
    body = client.get(
        reverse("challenges:list"), {"event": event.slug, "sort": "supported"}
    ).content.decode()
    assert body.index(high.title) < body.index(low.title)


def test_catalogue_htmx_returns_results_partial(client, event):
    ChallengeFactory(event=event, title="Partielle Antwort")
    response = client.get(reverse("challenges:list"), {"event": event.slug}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "Partielle Antwort" in body
    assert "<html" not in body


def _count_list_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_catalogue_query_count_constant(client, event, stranger):
    topic = TopicFactory(event=event)
    ChallengeFactory.create_batch(5, event=event, topic=topic)
    client.force_login(stranger)
    url = reverse("challenges:list") + f"?event={event.slug}"
    few = _count_list_queries(client, url)
    ChallengeFactory.create_batch(495, event=event, topic=topic)
    many = _count_list_queries(client, url)
    assert few == many


def test_detail_published_visible_to_everyone(client, event):
    challenge = ChallengeFactory(event=event)
    response = client.get(challenge.get_absolute_url())
    assert response.status_code == 200
    assert challenge.title in response.content.decode()
    assert challenge.contact_email not in response.content.decode()


@pytest.mark.parametrize(
    "status", [ChallengeStatus.DRAFT, ChallengeStatus.IN_REVIEW, ChallengeStatus.REJECTED]
)
def test_detail_unpublished_is_404_for_others(client, event, giver, stranger, status):
    challenge = ChallengeFactory(event=event, status=status, submitted_by=giver)
    assert client.get(challenge.get_absolute_url()).status_code == 404
    client.force_login(stranger)
    assert client.get(challenge.get_absolute_url()).status_code == 404
    client.force_login(giver)
    assert client.get(challenge.get_absolute_url()).status_code == 200


def test_detail_merged_redirects_to_survivor(client, event, organiser):
    from challenges.services import challenges_merge

    target, source = ChallengeFactory(event=event), ChallengeFactory(event=event)
    challenges_merge(challenges=[source], into=target, actor=organiser)
    response = client.get(source.get_absolute_url())
    assert response.status_code == 301
    assert response["Location"] == target.get_absolute_url()


def test_create_form_submits_challenge(client, event, giver, valid_form_data):
    client.force_login(giver)
    url = reverse("challenges:create", args=[event.slug])
    assert client.get(url).status_code == 200
    response = client.post(url, {**valid_form_data, "submit": "1"})
    challenge = Challenge.objects.get()
    assert response.status_code == 302
    assert response["Location"] == challenge.get_absolute_url()
    assert challenge.status == ChallengeStatus.SUBMITTED
    assert challenge.submitted_by == giver


def test_create_form_shows_clear_errors(client, event, giver, valid_form_data):
    client.force_login(giver)
    url = reverse("challenges:create", args=[event.slug])
    response = client.post(
        url,
        {
            **valid_form_data,
            "problem": "zu kurz",
            "municipality_key": "12AB",
            "title": "",
            "giver_type": "ngo",
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) >= {"problem", "municipality_key", "title", "organisation_name"}
    assert not Challenge.objects.exists()


def test_create_form_rejects_ags_of_other_state(client, event, giver, valid_form_data):
    client.force_login(giver)
    response = client.post(
        reverse("challenges:create", args=[event.slug]),
        {**valid_form_data, "state": "BY", "municipality_key": "11000000"},
    )
    assert "municipality_key" in response.context["form"].errors


def test_create_form_when_intake_closed_says_so(client, giver, valid_form_data):
    from tests.factories import EventFactory

    closed = EventFactory()
    client.force_login(giver)
    client.cookies["language"] = "en"
    url = reverse("challenges:create", args=[closed.slug])
    response = client.get(url)
    assert "does not take challenges" in response.content.decode()
    client.post(url, valid_form_data)
    assert not Challenge.objects.exists()


def test_create_requires_login(client, event):
    response = client.get(reverse("challenges:create", args=[event.slug]))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_edit_by_another_person_is_404(client, event, giver, stranger, valid_form_data):
    challenge = ChallengeFactory(event=event, submitted_by=giver, status=ChallengeStatus.DRAFT)
    client.force_login(stranger)
    url = reverse("challenges:edit", args=[challenge.number])
    assert client.get(url).status_code == 404
    assert client.post(url, valid_form_data).status_code == 404
    challenge.refresh_from_db()
    assert challenge.title != valid_form_data["title"]


def test_edit_published_by_someone_else_is_404(client, event, stranger, valid_form_data):
    challenge = ChallengeFactory(event=event)
    client.force_login(stranger)
    assert (
        client.post(
            reverse("challenges:edit", args=[challenge.number]), valid_form_data
        ).status_code
        == 404
    )


def test_edit_by_giver_until_review(client, event, giver, valid_form_data):
    challenge = ChallengeFactory(event=event, submitted_by=giver, status=ChallengeStatus.SUBMITTED)
    client.force_login(giver)
    url = reverse("challenges:edit", args=[challenge.number])
    response = client.post(url, {**valid_form_data, "title": "Verbesserter Titel"})
    assert response.status_code == 302
    challenge.refresh_from_db()
    assert challenge.title == "Verbesserter Titel"
    Challenge.objects.filter(pk=challenge.pk).update(status=ChallengeStatus.IN_REVIEW)
    assert client.get(url).status_code == 404


def test_support_toggle_once_per_person(client, event, stranger):
    challenge = ChallengeFactory(event=event)
    client.force_login(stranger)
    url = reverse("challenges:support", args=[challenge.number])
    client.post(url, {"action": "support"})
    client.post(url, {"action": "support"})
    challenge.refresh_from_db()
    assert challenge.support_count == 1
    response = client.post(url, {"action": "withdraw"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert (
        "Support this challenge" in response.content.decode()
        or "unterstützen" in response.content.decode()
    )
    challenge.refresh_from_db()
    assert challenge.support_count == 0


def test_support_anonymous_redirects_to_login(client, event):
    challenge = ChallengeFactory(event=event)
    response = client.post(reverse("challenges:support", args=[challenge.number]))
    assert response.status_code == 302
    challenge.refresh_from_db()
    assert challenge.support_count == 0


def test_my_challenges_shows_status(client, event, giver):
    ChallengeFactory(
        event=event, submitted_by=giver, status=ChallengeStatus.REJECTED, rejection_reason="Doppelt"
    )
    client.force_login(giver)
    body = client.get(reverse("challenges:mine")).content.decode()
    assert "Doppelt" in body


def _titles_in_order(body: str, *titles: str) -> list[str]:
    return sorted(titles, key=body.index)


def test_catalogue_search_can_be_sorted_by_support(client, event):
    low = ChallengeFactory(event=event, title="Schule digital", support_count=1)
    high = ChallengeFactory(event=event, title="Schulen vernetzen", support_count=9)
    ChallengeFactory(event=event, title="Einkaufshilfe", support_count=50)

    body = client.get(
        reverse("challenges:list"), {"event": event.slug, "q": "Schule", "sort": "supported"}
    ).content.decode()

    assert "Einkaufshilfe" not in body
    assert _titles_in_order(body, low.title, high.title) == [high.title, low.title]


def test_catalogue_sorts_newest_first_by_default(client, event):
    older = ChallengeFactory(event=event, title="Ältere Herausforderung")
    newer = ChallengeFactory(event=event, title="Neuere Herausforderung")
    Challenge.objects.filter(pk=older.pk).update(published_at=timezone.now() - timedelta(days=2))

    body = client.get(reverse("challenges:list"), {"event": event.slug}).content.decode()

    assert _titles_in_order(body, older.title, newer.title) == [newer.title, older.title]


def test_catalogue_filters_by_giver_type_and_federal_state(client, event):
    ChallengeFactory(event=event, title="Bund in Berlin", giver_type="federal_body", state="BE")
    ChallengeFactory(event=event, title="Bürgerin in Berlin", giver_type="citizen", state="BE")
    ChallengeFactory(event=event, title="Bund in Bayern", giver_type="federal_body", state="BY")

    body = client.get(
        reverse("challenges:list"),
        {"event": event.slug, "giver_type": "federal_body", "state": "BE"},
    ).content.decode()

    assert "Bund in Berlin" in body
    assert "Bürgerin in Berlin" not in body
    assert "Bund in Bayern" not in body


def test_catalogue_paginates_by_twenty_keeping_the_filters(client, event):
    topic = TopicFactory(event=event, slug="bildung")
    ChallengeFactory.create_batch(25, event=event, topic=topic)

    first = client.get(reverse("challenges:list"), {"event": event.slug, "topic": "bildung"})
    second = client.get(
        reverse("challenges:list"), {"event": event.slug, "topic": "bildung", "page": 2}
    )

    assert len(first.context["page"].object_list) == 20
    assert len(second.context["page"].object_list) == 5
    assert "topic=bildung" in first.context["query_string"]
    assert "page=2" in first.content.decode()


# --- "Submit a challenge" only while the intake is open (issue 9) ----------------------------


def _closed_intake_event():
    from events.enums import PhaseKind
    from tests.factories import EventFactory, PhaseFactory

    event = EventFactory(slug="vorbei", name="Vorbei-Hackathon")
    PhaseFactory(
        event=event,
        kind=PhaseKind.CHALLENGE_INTAKE,
        starts_at=timezone.now() - timedelta(days=30),
        ends_at=timezone.now() - timedelta(days=7),
    )
    return event


@pytest.mark.parametrize(
    ("language", "closed_text", "button"),
    [
        ("de", "Die Einreichung von Challenges endete am", "Challenge einreichen"),
        ("en", "Challenge submission closed on", "Submit a challenge"),
    ],
)
def test_catalogue_closed_intake_is_text_not_a_button(client, language, closed_text, button):
    event = _closed_intake_event()
    client.cookies["language"] = language

    body = client.get(reverse("challenges:list"), {"event": event.slug}).content.decode()

    assert closed_text in body
    assert reverse("challenges:create", args=[event.slug]) not in body
    assert f">{button}</a>" not in body


def test_catalogue_open_intake_offers_the_button(client, event):
    body = client.get(reverse("challenges:list"), {"event": event.slug}).content.decode()

    create = reverse("challenges:create", args=[event.slug])
    assert f'<a class="button" href="{create}">Challenge einreichen</a>' in body


@pytest.mark.parametrize("language", ["de", "en"])
def test_event_page_offers_submission_only_while_intake_is_open(client, event, language):
    closed = _closed_intake_event()
    client.cookies["language"] = language

    open_page = client.get(reverse("events:detail", args=[event.slug])).content.decode()
    closed_page = client.get(reverse("events:detail", args=[closed.slug])).content.decode()

    assert reverse("challenges:create", args=[event.slug]) in open_page
    assert reverse("challenges:create", args=[closed.slug]) not in closed_page
    assert 'data-testid="intake-closed"' in closed_page


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


def test_owners_shown_on_challenge_page(client, event, organiser):
    challenge = ChallengeFactory(event=event)
    godparent = UserFactory(display_name="Patin Petra", email="petra@example.org")
    services.challenge_owner_add(challenge=challenge, user=godparent, actor=organiser)
    body = client.get(challenge.get_absolute_url()).content.decode()
    assert "Patin Petra" in body
    assert "petra@example.org" not in body


def test_web_null_characters_are_400(client):
    assert client.get(reverse("challenges:list"), {"q": "\x00"}).status_code == 400
