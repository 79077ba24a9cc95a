"""Help requests in the Django admin, for organisers."""

from __future__ import annotations

import pytest
from django.urls import reverse

from mentoring.enums import HelpRequestStatus
from mentoring.models import HelpRequest

pytestmark = pytest.mark.django_db


def test_admin_refuses_claimed_without_mentor(client, organiser, help_request):
    client.force_login(organiser)
    url = reverse("admin:mentoring_helprequest_change", args=[help_request.pk])
    data = {
        "team": help_request.team_id,
        "skill": help_request.skill_id,
        "topic": "",
        "question": help_request.question,
        "contact": help_request.contact,
        "status": HelpRequestStatus.CLAIMED,
        "created_by": help_request.created_by_id,
        "mentor": "",
    }

    response = client.post(url, data)

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["mentor"] == ["A claimed request needs the mentor who took it."]
    assert HelpRequest.objects.get().status == HelpRequestStatus.OPEN


def test_admin_accepts_claimed_with_mentor(client, organiser, help_request, mentor):
    client.force_login(organiser)
    url = reverse("admin:mentoring_helprequest_change", args=[help_request.pk])
    data = {
        "team": help_request.team_id,
        "skill": help_request.skill_id,
        "topic": "",
        "question": help_request.question,
        "contact": help_request.contact,
        "status": HelpRequestStatus.CLAIMED,
        "created_by": help_request.created_by_id,
        "mentor": mentor.pk,
    }

    response = client.post(url, data)

    assert response.status_code == 302
    assert HelpRequest.objects.get().mentor == mentor


def test_admin_lists_help_requests(admin_client, help_request):
    response = admin_client.get(reverse("admin:mentoring_helprequest_changelist"))

    assert response.status_code == 200
    assert "Datenhelden" in response.content.decode()


def test_organisers_may_view_help_requests_in_the_admin(client, organiser, help_request):
    client.force_login(organiser)

    response = client.get(reverse("admin:mentoring_helprequest_change", args=[help_request.pk]))

    assert response.status_code == 200
