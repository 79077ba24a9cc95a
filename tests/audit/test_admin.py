"""The audit log in the Django admin: organisers read it, nobody writes or deletes it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from audit.services import audit_log
from tests.factories import EventFactory, OrganiserFactory, UserFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:audit_auditentry_changelist")


@pytest.fixture
def organiser():
    return OrganiserFactory(email="orga@example.org")


@pytest.fixture
def entry(organiser):
    return audit_log(
        actor=organiser, action="event.update", target=EventFactory(), data={"fields": ["name"]}
    )


def test_organisers_read_the_audit_log(client, organiser, entry):
    client.force_login(organiser)

    response = client.get(CHANGELIST)

    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [entry]


def test_audit_log_search_by_action_and_filter_by_actor_email(client, organiser, entry):
    audit_log(actor=None, action="challenge.import", target=EventFactory())
    client.force_login(organiser)

    by_action = client.get(CHANGELIST, {"q": "event.update"})
    by_email = client.get(CHANGELIST, {"q": "orga@example.org"})

    assert list(by_action.context["cl"].result_list) == [entry]
    assert list(by_email.context["cl"].result_list) == [entry]


def test_audit_entry_page_is_read_only_even_for_superusers(client, entry):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    url = reverse("admin:audit_auditentry_change", args=[entry.pk])

    page = client.get(url)

    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert client.post(url, {"action": "forged"}).status_code == 403
    assert client.get(reverse("admin:audit_auditentry_add")).status_code == 403
    assert client.get(reverse("admin:audit_auditentry_delete", args=[entry.pk])).status_code == 403
    entry.refresh_from_db()
    assert entry.action == "event.update"


def test_audit_log_closed_to_staff_without_the_permission(client, entry):
    client.force_login(UserFactory(is_staff=True))

    assert client.get(CHANGELIST).status_code == 403
