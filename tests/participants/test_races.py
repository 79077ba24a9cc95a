"""Registering twice at the same moment ends with one registration (PostgreSQL, real threads)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from participants.models import Registration
from participants.services import ParticipantError, registration_create
from tests.factories import EventFactory, UserFactory
from tests.participants.conftest import open_registration

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_simultaneous_registrations_of_one_person_end_with_one():
    event = EventFactory()
    open_registration(event)
    event = type(event).objects.prefetch_related("phases").get(pk=event.pk)
    user = UserFactory()
    barrier = threading.Barrier(8)
    outcomes: list[str] = []

    def register() -> None:
        try:
            barrier.wait()
            registration_create(event=event, user=user, accept_code_of_conduct=True)
            outcomes.append("registered")
        except ParticipantError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=register) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert Registration.objects.filter(event=event, user=user).count() == 1
    assert sorted(outcomes) == ["refused"] * 7 + ["registered"]
