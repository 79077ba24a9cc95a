import io

import pytest
from django.core.management import call_command

from challenges.enums import ChallengeStatus
from challenges.models import Challenge, Topic

pytestmark = pytest.mark.django_db


def test_seed_demo_adds_topics_and_challenges_in_every_curation_state_idempotently():
    call_command("seed_demo", stdout=io.StringIO())
    first = dict(Challenge.objects.values_list("external_id", "status"))
    call_command("seed_demo", stdout=io.StringIO())

    assert dict(Challenge.objects.values_list("external_id", "status")) == first
    statuses = list(first.values())
    assert statuses.count(ChallengeStatus.PUBLISHED) >= 24
    assert ChallengeStatus.IN_REVIEW in statuses
    assert statuses.count(ChallengeStatus.MERGED) == 1
    assert Topic.objects.count() >= 5
    merged = Challenge.objects.get(status=ChallengeStatus.MERGED)
    assert merged.merged_into.status == ChallengeStatus.PUBLISHED
    assert Challenge.objects.filter(support_count__gt=0).exists()
    assert all(c.number for c in Challenge.objects.all())
