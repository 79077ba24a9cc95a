"""Mentors clicking "take this request" at the same moment, on PostgreSQL with real threads.

Each thread has its own database connection and transaction, like two web workers; the
barrier releases them together so their UPDATEs really meet in the database.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from accounts.models import User
from mentoring.enums import HelpRequestStatus
from mentoring.models import HelpRequest
from mentoring.services import MentoringError, help_request_claim
from notifications.models import Notification
from tests.factories import HelpRequestFactory, RegistrationFactory, UserFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

MENTORS = 10


@pytest.fixture
def eager_celery():
    """Notification e-mails are delivered in the thread (to the test outbox), not queued."""
    from hackathon.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


def test_mentors_claiming_at_once_exactly_one_wins(event, team, team_admin, eager_celery):
    help_request = HelpRequestFactory(team=team, created_by=team_admin)
    mentor_ids = []
    for index in range(MENTORS):
        mentor = UserFactory(display_name=f"Mentor {index}")
        RegistrationFactory(event=event, user=mentor, role="mentor")
        mentor_ids.append(mentor.pk)
    barrier = threading.Barrier(MENTORS)
    outcomes: dict[int, str] = {}

    def claim(mentor_id: int) -> None:
        try:
            mentor = User.objects.get(pk=mentor_id)
            mine = HelpRequest.objects.select_related("team__event").get(pk=help_request.pk)
            barrier.wait(timeout=30)
            help_request_claim(help_request=mine, mentor=mentor)
            outcomes[mentor_id] = "won"
        except MentoringError:
            outcomes[mentor_id] = "lost"
        except Exception as exc:  # a deadlock or a broken barrier must fail the test
            outcomes[mentor_id] = f"error: {exc!r}"
        finally:
            connection.close()

    threads = [threading.Thread(target=claim, args=(pk,)) for pk in mentor_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(outcomes.values()) == ["lost"] * (MENTORS - 1) + ["won"]
    winner = next(pk for pk, outcome in outcomes.items() if outcome == "won")
    help_request.refresh_from_db()
    assert help_request.status == HelpRequestStatus.CLAIMED
    assert help_request.mentor_id == winner
    assert Notification.objects.filter(kind="help.claimed").count() == 1
