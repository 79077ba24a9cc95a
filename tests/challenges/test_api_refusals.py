"""The challenges API's own refusals are in the reader's language (gettext), name their field,
and its reads come from challenges.selectors (the topic fields of the events one may see)."""

import pytest
from django.utils.translation import trans_real
from rest_framework.test import APIClient

from challenges.enums import ChallengeStatus
from tests.challenges.conftest import VALID_FORM
from tests.factories import ChallengeFactory, EventFactory, TopicFactory, open_intake

pytestmark = pytest.mark.django_db
LIST = "/api/v1/challenges/"
REFUSALS = (
    "The event of a challenge cannot be changed.",
    "This event has no topic field with this slug.",
    "Unknown event.",
    "You may not edit this challenge.",
    "Only the person who wrote this challenge can submit it.",
)


@pytest.fixture
def german(monkeypatch) -> dict[str, str]:
    """The refusals in the German catalogue (German is the default language), as the
    translators will write them; gone again after the test."""
    catalogue = trans_real.translation("de")._catalog._catalogs[0]
    translated = {message: f"Auf Deutsch: {message}" for message in REFUSALS}
    for message, text in translated.items():
        monkeypatch.setitem(catalogue, message, text)
    return translated


@pytest.fixture
def api(giver):
    client = APIClient()
    client.force_authenticate(giver)
    return client


def _payload(event, **overrides):
    data = {k: v for k, v in VALID_FORM.items() if k != "tags"}
    return {**data, "event": event.slug, **overrides}


def _errors(response) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for error in response.json()["errors"]:
        errors.setdefault(error["attr"], []).append(error["detail"])
    return errors


def test_moving_a_challenge_to_another_event_is_refused_in_german(api, german, event, giver):
    other = EventFactory()
    open_intake(other)
    draft = ChallengeFactory(event=event, submitted_by=giver, status=ChallengeStatus.DRAFT)
    response = api.patch(f"{LIST}{draft.number}/", {"event": other.slug}, format="json")
    assert response.status_code == 400
    assert _errors(response) == {"event": [german[REFUSALS[0]]]}
    draft.refresh_from_db()
    assert draft.event == event


def test_a_topic_slug_of_another_event_is_refused_in_german(api, german, event):
    TopicFactory(event=EventFactory(), slug="bildung")
    response = api.post(LIST, _payload(event, topic="bildung"), format="json")
    assert response.status_code == 400
    assert _errors(response) == {"topic": [german[REFUSALS[1]]]}


def test_an_event_one_may_not_see_is_unknown_in_german(api, german):
    hidden = EventFactory(is_public=False)
    open_intake(hidden)
    response = api.post(LIST, _payload(hidden), format="json")
    assert response.status_code == 400
    assert _errors(response) == {"event": [german[REFUSALS[2]]]}


def test_editing_someone_elses_published_challenge_is_forbidden_in_german(
    german, event, giver, stranger
):
    published = ChallengeFactory(event=event, submitted_by=giver)
    client = APIClient()
    client.force_authenticate(stranger)
    response = client.patch(f"{LIST}{published.number}/", {"title": "Gekapert"}, format="json")
    assert response.status_code == 403
    assert response.json()["errors"][0]["detail"] == german[REFUSALS[3]]


def test_only_the_author_submits_in_german(german, event, organiser):
    draft = ChallengeFactory(event=event, status=ChallengeStatus.DRAFT)
    client = APIClient()
    client.force_authenticate(organiser)  # may see and edit the draft, not submit it
    response = client.post(f"{LIST}{draft.number}/submit/")
    assert response.status_code == 403
    assert response.json()["errors"][0]["detail"] == german[REFUSALS[4]]
    draft.refresh_from_db()
    assert draft.status == ChallengeStatus.DRAFT


def test_the_refusals_read_in_english_for_english_readers(api, event):
    hidden = EventFactory(is_public=False)
    response = api.post(LIST, _payload(hidden), format="json", headers={"accept-language": "en"})
    assert _errors(response) == {"event": ["Unknown event."]}


def test_topics_are_those_of_the_events_one_may_see_with_published_counts(event, organiser):
    hidden = EventFactory(is_public=False)
    visible_topic = TopicFactory(event=event, slug="mobilitaet", position=2)
    first_topic = TopicFactory(event=event, slug="bildung", position=1)
    hidden_topic = TopicFactory(event=hidden, slug="geheim")
    ChallengeFactory.create_batch(2, event=event, topic=visible_topic)
    ChallengeFactory(event=event, topic=visible_topic, status=ChallengeStatus.SUBMITTED)
    client = APIClient()

    def listed(**params):
        results = client.get("/api/v1/topics/", params).json()["results"]
        return [(topic["slug"], topic["published_count"]) for topic in results]

    assert listed() == [("bildung", 0), ("mobilitaet", 2)]
    assert client.get(f"/api/v1/topics/{hidden_topic.pk}/").status_code == 404
    client.force_authenticate(organiser)
    assert listed(event=hidden.slug) == [("geheim", 0)]
    assert listed(event=event.slug) == [("bildung", 0), ("mobilitaet", 2)]
    # The filter is the list's: a topic field is found by its id whatever it names.
    detail = client.get(f"/api/v1/topics/{first_topic.pk}/", {"event": hidden.slug})
    assert detail.status_code == 200 and detail.json()["slug"] == "bildung"
