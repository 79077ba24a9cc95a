"""GET /api/v1/challenges/ writes its items from plain values (ChallengeListSerializer): the
same JSON as ChallengeSerializer gives for each challenge, field by field, with the private
fields for the giver and organisers only."""

from __future__ import annotations

import json

import pytest
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.test import APIClient, APIRequestFactory

from challenges.api import PRIVATE_FIELDS, ChallengeListSerializer, ChallengeSerializer
from challenges.enums import ChallengeStatus
from challenges.models import Challenge, Tag, Topic
from tests.factories import ChallengeFactory

URL = "/api/v1/challenges/"


@pytest.fixture(autouse=True)
def _host(settings):
    settings.ALLOWED_HOSTS = ["platform.test"]


@pytest.fixture
def challenges(event, giver):
    topic = Topic.objects.create(event=event, name="Gesundheit & Pflege", slug="gesundheit")
    tagged = ChallengeFactory(
        event=event,
        topic=topic,
        title="Freie Intensivbetten finden",
        state="BY",
        municipality_key="09162000",
        contact_phone="+49 30 1234",
        organisation_name="Klinikum",
    )
    tagged.tags.set([Tag.objects.create(name="Zebra"), Tag.objects.create(name="Ämter")])
    other = ChallengeFactory(event=event, support_count=7)
    merged = ChallengeFactory(event=event, submitted_by=giver)
    Challenge.objects.filter(pk=merged.pk).update(
        status=ChallengeStatus.MERGED, merged_into=tagged
    )
    draft = ChallengeFactory(event=event, submitted_by=giver, status=ChallengeStatus.DRAFT)
    Challenge.objects.filter(pk=draft.pk).update(number=None)
    return [tagged, other, merged, draft]


def _request(user=None, path=URL) -> Request:
    request = Request(APIRequestFactory().get(path, HTTP_HOST="platform.test"))
    if user is not None:
        request.user = user
    return request


def _page(request, params=None) -> list[Challenge]:
    from challenges.selectors import challenges_for_api

    return list(
        challenges_for_api(user=request.user, params=params or {})
        .select_related(None)
        .prefetch_related(None)
        .only("pk")
    )


def _one_by_one(page, request) -> list:
    loaded = Challenge.objects.select_related("topic", "event", "merged_into").prefetch_related(
        "tags"
    )
    by_pk = {challenge.pk: challenge for challenge in loaded}
    data = [
        ChallengeSerializer(by_pk[challenge.pk], context={"request": request}).data
        for challenge in page
    ]
    return json.loads(JSONRenderer().render(data))


def _fast(page, request) -> list:
    data = ChallengeSerializer(page, many=True, context={"request": request}).data
    return json.loads(JSONRenderer().render(data))


def test_anonymous_items_are_what_the_serializer_gives_one_by_one(event, challenges):
    request = _request()
    page = _page(request)

    fast = _fast(page, request)

    assert isinstance(ChallengeSerializer(many=True), ChallengeListSerializer)
    assert fast == _one_by_one(page, request)
    assert [item["title"] for item in fast] == [c.title for c in reversed(challenges[:2])]
    assert list(fast[1]) == [f for f in ChallengeSerializer.Meta.fields if f not in PRIVATE_FIELDS]
    # By name, as tags.all() gives them.
    assert fast[1]["tags"] == [tag.name for tag in challenges[0].tags.all()]
    assert sorted(fast[1]["tags"]) == ["Zebra", "Ämter"]
    assert fast[1]["topic"] == "gesundheit"
    assert fast[0]["topic"] is None
    assert fast[0]["support_count"] == 7
    assert fast[1]["url"] == f"http://platform.test/challenges/{challenges[0].number}/"


def test_the_giver_sees_the_private_fields_of_their_own_only(event, challenges, giver):
    request = _request(giver)
    page = _page(request)

    fast = _fast(page, request)

    assert fast == _one_by_one(page, request)
    by_title = {item["title"]: item for item in fast}
    draft = by_title[challenges[3].title]
    assert draft["number"] is None
    assert draft["public_number"] == ""
    assert draft["url"] == "http://platform.test/challenges/"
    assert draft["published_at"] is None
    assert draft["contact_email"] == challenges[3].contact_email
    assert by_title[challenges[2].title]["merged_into"] == challenges[0].number
    assert "contact_email" in by_title[challenges[2].title]
    assert "contact_email" not in by_title[challenges[0].title]
    assert len(fast) == 4


def test_organisers_see_every_private_field(event, challenges, organiser):
    request = _request(organiser)
    page = _page(request)

    fast = _fast(page, request)

    assert fast == _one_by_one(page, request)
    assert len(fast) == 4
    assert all(list(item) == list(ChallengeSerializer.Meta.fields) for item in fast)
    assert fast[-1]["contact_phone"] == "+49 30 1234"


def test_api_list_sends_the_same_items_also_when_searching(event, challenges):
    response = APIClient().get(URL, {"event": event.slug}, HTTP_HOST="platform.test")
    found = APIClient().get(
        URL, {"event": event.slug, "search": "Intensivbetten"}, HTTP_HOST="platform.test"
    )

    assert response.status_code == 200
    request = _request()
    assert response.json()["results"] == _one_by_one(_page(request), request)
    assert response.json()["count"] == 2
    assert [item["title"] for item in found.json()["results"]] == ["Freie Intensivbetten finden"]
    assert found.json()["results"] == _one_by_one(
        _page(request, {"search": "Intensivbetten"}), request
    )


def test_a_page_costs_the_same_queries_however_many_challenges(
    event, challenges, django_assert_max_num_queries
):
    for _ in range(10):
        ChallengeFactory(event=event).tags.set([Tag.objects.get(name="Zebra")])

    # The event filter, the count, the page's keys, the rows, their tags.
    with django_assert_max_num_queries(5):
        response = APIClient().get(URL, {"event": event.slug}, HTTP_HOST="platform.test")

    assert response.json()["count"] == 12
