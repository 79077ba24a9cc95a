"""Mentors clicking "take this request" at the same moment, on PostgreSQL with real threads.

Each thread has its own database connection and transaction, like two web workers; the
barrier releases them together so their UPDATEs really meet in the database.
"""

from __future__ import annotations

import pytest

from accounts.models import User
from mentoring.enums import HelpRequestStatus
from mentoring.models import HelpRequest
from mentoring.services import MentoringError, help_request_claim
from notifications.models import Notification
from tests.factories import HelpRequestFactory, RegistrationFactory, UserFactory
from tests.races import race

pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("eager_celery"),
]

MENTORS = 10


def test_mentors_claiming_at_once_exactly_one_wins(event, team, team_admin):
    help_request = HelpRequestFactory(team=team, created_by=team_admin)
    mentor_ids = []
    for index in range(MENTORS):
        mentor = UserFactory(display_name=f"Mentor {index}")
        RegistrationFactory(event=event, user=mentor, role="mentor")
        mentor_ids.append(mentor.pk)

    def claim(mentor_id: int):
        mentor = User.objects.get(pk=mentor_id)
        mine = HelpRequest.objects.select_related("team__event").get(pk=help_request.pk)
        return help_request_claim(help_request=mine, mentor=mentor)

    results = race(*(lambda pk=pk: claim(pk) for pk in mentor_ids))

    lost = [r for r in results if isinstance(r, MentoringError)]
    won = [pk for pk, r in zip(mentor_ids, results, strict=True) if not isinstance(r, Exception)]
    assert len(lost) == MENTORS - 1, results  # a deadlock or any other error fails here
    assert len(won) == 1
    help_request.refresh_from_db()
    assert help_request.status == HelpRequestStatus.CLAIMED
    assert help_request.mentor_id == won[0]
    assert Notification.objects.filter(kind="help.claimed").count() == 1
