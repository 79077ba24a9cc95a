"""Registering twice at the same moment ends with one registration (PostgreSQL, real threads)."""

from __future__ import annotations

import pytest

from participants.models import Registration
from participants.services import ParticipantError, registration_create
from tests.factories import EventFactory, UserFactory
from tests.participants.conftest import open_registration
from tests.races import race

pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("eager_celery"),
]


def test_simultaneous_registrations_of_one_person_end_with_one():
    event = EventFactory()
    open_registration(event)
    event = type(event).objects.prefetch_related("phases").get(pk=event.pk)
    user = UserFactory()

    results = race(
        *(
            lambda: registration_create(event=event, user=user, accept_code_of_conduct=True)
            for _ in range(8)
        )
    )

    assert Registration.objects.filter(event=event, user=user).count() == 1
    assert sum(isinstance(r, Registration) for r in results) == 1
    assert sum(isinstance(r, ParticipantError) for r in results) == 7, results
