import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from challenges.enums import ChallengeStatus
from challenges.models import Challenge
from tests.challenges.conftest import VALID_FORM
from tests.factories import ChallengeFactory, EventFactory, TopicFactory

pytestmark = pytest.mark.django_db
LIST = "/api/v1/challenges/"


@pytest.fixture
def api():
    return APIClient()


def _payload(event, **overrides):
    data = {k: v for k, v in VALID_FORM.items() if k != "tags"}
    return {**data, "event": event.slug, "tags": ["Bildung", "Schule"], **overrides}


def test_api_list_public_only_and_hides_contact(api, event):
    published = ChallengeFactory(event=event)
    ChallengeFactory(event=event, status=ChallengeStatus.IN_REVIEW)
    ChallengeFactory(event=event, status=ChallengeStatus.REJECTED)
    ChallengeFactory(event=event, status=ChallengeStatus.MERGED, merged_into=published)
    response = api.get(LIST)
    assert response.status_code == 200
    numbers = [c["number"] for c in response.json()["results"]]
    assert numbers == [published.number]
    assert "contact_email" not in response.json()["results"][0]


def test_api_filters(api, event):
    topic = TopicFactory(event=event, slug="gesundheit")
    match = ChallengeFactory(
        event=event, topic=topic, giver_type="municipality", organisation_name="Stadt Köln"
    )
    ChallengeFactory(event=event)
    assert [c["number"] for c in api.get(LIST, {"topic": "gesundheit"}).json()["results"]] == [
        match.number
    ]
    assert [
        c["number"] for c in api.get(LIST, {"giver_type": "municipality"}).json()["results"]
    ] == [match.number]
    assert api.get(LIST, {"state": "rejected"}).json()["count"] == 0


def test_api_state_filter_shows_organisers_each_status_and_the_public_none_hidden(
    api, event, organiser, giver
):
    published = ChallengeFactory(event=event)
    rejected = ChallengeFactory(event=event, status=ChallengeStatus.REJECTED, submitted_by=giver)
    in_review = ChallengeFactory(event=event, status=ChallengeStatus.IN_REVIEW)

    def numbers(**params):
        return [c["number"] for c in api.get(LIST, params).json()["results"]]

    assert numbers(state="published") == [published.number]
    assert numbers(state="rejected") == []  # the public never sees it
    api.force_authenticate(giver)
    assert numbers(state="rejected") == [rejected.number]  # their own
    api.force_authenticate(organiser)
    assert numbers(state="rejected") == [rejected.number]
    assert numbers(state="in_review") == [in_review.number]


def test_api_search_and_bundesland_filters(api, event):
    schule = ChallengeFactory(event=event, title="Digitale Schule", state="BY")
    ChallengeFactory(event=event, title="Einkaufshilfe", state="BY")
    berlin = ChallengeFactory(event=event, title="Radwege", state="BE")

    found = api.get(LIST, {"search": "Schulen"}).json()["results"]
    assert [c["number"] for c in found] == [schule.number]
    in_berlin = api.get(LIST, {"bundesland": "BE"}).json()["results"]
    assert [c["number"] for c in in_berlin] == [berlin.number]


def test_api_detail_by_number_and_404_for_unpublished(api, event):
    published = ChallengeFactory(event=event)
    hidden = ChallengeFactory(event=event, status=ChallengeStatus.IN_REVIEW)
    assert api.get(f"{LIST}{published.number}/").json()["title"] == published.title
    response = api.get(f"{LIST}{hidden.number}/")
    assert response.status_code == 404


def test_api_create_draft_then_submit(api, event, giver):
    api.force_authenticate(giver)
    response = api.post(LIST, _payload(event), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "draft"
    assert sorted(body["tags"]) == ["Bildung", "Schule"]
    assert body["contact_email"] == VALID_FORM["contact_email"]
    response = api.post(f"{LIST}{body['number']}/submit/")
    assert response.status_code == 200
    assert response.json()["status"] == "submitted"


def test_api_create_validation_names_the_field(api, event, giver):
    api.force_authenticate(giver)
    response = api.post(
        LIST, _payload(event, municipality_key="123", problem="kurz"), format="json"
    )
    assert response.status_code == 400
    attrs = {error["attr"] for error in response.json()["errors"]}
    assert {"municipality_key", "problem"} <= attrs
    assert not Challenge.objects.exists()


def test_api_create_requires_authentication(api, event):
    response = api.post(LIST, _payload(event), format="json")
    assert response.status_code == 401
    assert not Challenge.objects.exists()


def test_api_edit_own_draft(api, event, giver):
    challenge = ChallengeFactory(event=event, submitted_by=giver, status=ChallengeStatus.DRAFT)
    api.force_authenticate(giver)
    response = api.patch(f"{LIST}{challenge.number}/", {"title": "Per API geändert"}, format="json")
    assert response.status_code == 200, response.json()
    challenge.refresh_from_db()
    assert challenge.title == "Per API geändert"


def test_api_edit_someone_elses_challenge_refused(api, event, giver, stranger):
    draft = ChallengeFactory(event=event, submitted_by=giver, status=ChallengeStatus.DRAFT)
    published = ChallengeFactory(event=event, submitted_by=giver)
    api.force_authenticate(stranger)
    assert (
        api.patch(f"{LIST}{draft.number}/", {"title": "Gekapert"}, format="json").status_code == 404
    )
    assert (
        api.patch(f"{LIST}{published.number}/", {"title": "Gekapert"}, format="json").status_code
        == 403
    )
    draft.refresh_from_db()
    published.refresh_from_db()
    assert "Gekapert" not in (draft.title, published.title)


def test_api_support_once(api, event, stranger):
    challenge = ChallengeFactory(event=event)
    api.force_authenticate(stranger)
    assert api.post(f"{LIST}{challenge.number}/support/").status_code == 204
    assert api.post(f"{LIST}{challenge.number}/support/").status_code == 204
    challenge.refresh_from_db()
    assert challenge.support_count == 1
    assert api.delete(f"{LIST}{challenge.number}/support/").status_code == 204
    challenge.refresh_from_db()
    assert challenge.support_count == 0


def test_api_topics_with_counts(api, event):
    topic = TopicFactory(event=event, slug="mobilitaet", name="Mobilität")
    ChallengeFactory.create_batch(2, event=event, topic=topic)
    ChallengeFactory(event=event, topic=topic, status=ChallengeStatus.REJECTED)
    results = api.get("/api/v1/topics/", {"event": event.slug}).json()["results"]
    assert results == [
        {
            "id": topic.pk,
            "event": event.slug,
            "slug": "mobilitaet",
            "name": "Mobilität",
            "description": "",
            "published_count": 2,
        }
    ]


def test_api_list_query_count_constant(api, event):
    topic = TopicFactory(event=event)
    ChallengeFactory.create_batch(5, event=event, topic=topic)
    with CaptureQueriesContext(connection) as few:
        assert api.get(LIST).status_code == 200
    ChallengeFactory.create_batch(495, event=event, topic=topic)
    with CaptureQueriesContext(connection) as many:
        assert api.get(LIST, {"page_size": 500}).status_code == 200
    assert len(few) == len(many)


@pytest.mark.parametrize(
    "params",
    [{"search": "a\x00b"}, {"event": "\x00"}, {"topic": "x\x00"}],
)
def test_api_null_characters_are_400(params):
    response = APIClient().get(LIST, params)
    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] in params


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


def test_the_forms_refusal_of_tags_is_documented_with_its_code(api, event, giver):
    """The web form refuses more than ten tags (commas split a tag) as "invalid" on
    `tags`, a field the form declares itself: the schema names that code (it listed only
    the model's fields)."""
    from drf_spectacular.generators import SchemaGenerator

    api.force_authenticate(giver)
    response = api.post(
        LIST, _payload(event, tags=[",".join(f"t{n}" for n in range(12))]), format="json"
    )
    assert response.status_code == 400
    assert ("tags", "invalid") in {(e["attr"], e["code"]) for e in response.json()["errors"]}
    components = SchemaGenerator().get_schema(request=None, public=True)["components"]["schemas"]
    for action in ("ChallengesCreate", "ChallengesPartialUpdate", "ChallengesUpdate"):
        codes = components[f"{action}TagsErrorComponent"]["properties"]["code"]["enum"]
        assert "invalid" in codes, action
