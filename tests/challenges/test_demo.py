import io

import pytest
from django.core.management import call_command

from accounts.models import User
from challenges.enums import ChallengeStatus
from challenges.models import Challenge, ChallengeOwner, ChallengeQuestion, Topic

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


def test_seed_demo_has_a_challenge_owner_with_answered_and_open_questions():
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    call_command("seed_demo", stdout=io.StringIO())

    godparent = User.objects.get(email="pate@example.org")
    assert ChallengeOwner.objects.filter(user=godparent).count() == 3
    questions = ChallengeQuestion.objects.all()
    assert questions.count() == 3  # not doubled by the second run
    assert questions.filter(answered_by=godparent).count() == 2
    assert questions.filter(answered_at__isnull=True).count() == 1
    assert all(q.challenge.ownerships.filter(user=godparent).exists() for q in questions)
    assert "pate@example.org" in out.getvalue()
