"""Help requests in the Django admin, for organisers."""

from __future__ import annotations

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from mentoring.enums import HelpRequestStatus
from mentoring.models import HelpRequest

pytestmark = pytest.mark.django_db


def test_admin_change_form_is_read_only(client, organiser, help_request):
    """Claiming, releasing and the team's texts are the site's, through the services."""
    client.force_login(organiser)
    url = reverse("admin:mentoring_helprequest_change", args=[help_request.pk])

    response = client.post(url, {"status": HelpRequestStatus.CLOSED, "question": "Changed."})

    assert response.status_code == 403
    help_request.refresh_from_db()
    assert help_request.status == HelpRequestStatus.OPEN
    assert 'name="question"' not in client.get(url).content.decode()


def test_admin_close_action_goes_through_the_service(
    client, organiser, help_request, team_admin, mentor
):
    from audit.models import AuditEntry
    from mentoring import services
    from notifications.models import Notification

    services.help_request_claim(help_request=help_request, mentor=mentor)
    client.force_login(organiser)

    response = client.post(
        reverse("admin:mentoring_helprequest_changelist"),
        {"action": "close_requests", ACTION_CHECKBOX_NAME: [help_request.pk]},
        follow=True,
    )

    help_request.refresh_from_db()
    assert help_request.status == HelpRequestStatus.CLOSED
    assert "1 help request was closed." in response.content.decode()
    [entry] = AuditEntry.objects.filter(action="help_request.closed")
    assert entry.actor == organiser and entry.target_id == help_request.pk
    # The team and the mentor who took it are told, as when the team closes it.
    told = set(
        Notification.objects.filter(kind="help.closed").values_list("recipient_id", flat=True)
    )
    assert {team_admin.pk, mentor.pk} <= told


def test_admin_close_action_on_a_closed_request_closes_nothing(client, organiser, help_request):
    HelpRequest.objects.filter(pk=help_request.pk).update(status=HelpRequestStatus.CLOSED)
    client.force_login(organiser)

    response = client.post(
        reverse("admin:mentoring_helprequest_changelist"),
        {"action": "close_requests", ACTION_CHECKBOX_NAME: [help_request.pk]},
        follow=True,
    )

    assert "0 help requests were closed." in response.content.decode()


def test_nobody_adds_or_deletes_help_requests_in_the_admin(admin_client, help_request):
    assert admin_client.get(reverse("admin:mentoring_helprequest_add")).status_code == 403
    delete = reverse("admin:mentoring_helprequest_delete", args=[help_request.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert HelpRequest.objects.filter(pk=help_request.pk).exists()


def test_admin_lists_help_requests(admin_client, help_request):
    response = admin_client.get(reverse("admin:mentoring_helprequest_changelist"))

    assert response.status_code == 200
    assert "Datenhelden" in response.content.decode()


def test_organisers_may_view_help_requests_in_the_admin(client, organiser, help_request):
    client.force_login(organiser)

    response = client.get(reverse("admin:mentoring_helprequest_change", args=[help_request.pk]))

    assert response.status_code == 200
