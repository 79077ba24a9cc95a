"""The limit of unanswered questions per person holds when one person sends several at
once: real threads, each with its own PostgreSQL connection, released together."""

from __future__ import annotations

import pytest

from challenges import services
from challenges.models import ChallengeQuestion
from tests.factories import ChallengeFactory, UserFactory
from tests.races import race

pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("eager_celery"),
]


def test_six_questions_at_once_leave_exactly_the_allowed_three(event):
    challenge = ChallengeFactory(event=event)
    asker = UserFactory()

    results = race(
        *(
            lambda number=number: services.challenge_question_ask(
                challenge=challenge, user=asker, text=f"Eine Frage, Nummer {number}?"
            )
            for number in range(6)
        )
    )

    asked = [r for r in results if isinstance(r, ChallengeQuestion)]
    refused = [r for r in results if isinstance(r, services.ChallengeError)]
    assert len(asked) == services.owners.OPEN_QUESTIONS_PER_PERSON == 3
    assert len(refused) == 3, results
    assert ChallengeQuestion.objects.filter(asked_by=asker).count() == 3
