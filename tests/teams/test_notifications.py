"""Every team notification is written for the right people and renders in both channels."""

from __future__ import annotations

import pytest
from django.core import mail

from notifications.kinds import get_kind
from notifications.models import Notification
from notifications.rendering import render_email, render_inapp_text
from teams import services
from tests.factories import UserFactory, add_member
from tests.teams.conftest import participant

pytestmark = pytest.mark.django_db

KINDS = [
    "team.join_request_received",
    "team.join_request_accepted",
    "team.join_request_declined",
    "team.invitation_used",
    "team.member_left",
    "team.member_removed",
    "team.closed",
]


def test_team_kinds_are_registered():
    for key in KINDS:
        assert not get_kind(key).security


def test_each_kind_is_sent_and_renders(
    team, founder, joiner, event, django_capture_on_commit_callbacks
):
    english = UserFactory(language="en")
    from participants.models import Registration

    Registration.objects.create(
        event=event, user=english, code_of_conduct_accepted_at=founder.date_joined
    )
    with django_capture_on_commit_callbacks(execute=True):
        request = services.join_request_create(
            team=team, user=joiner, message="Ich kann React & Vue."
        )
    services.join_request_decline(join_request=request, actor=founder)
    request = services.join_request_create(team=team, user=joiner)
    services.join_request_accept(join_request=request, actor=founder)
    invitation = services.invitation_create(team=team, actor=founder)
    services.invitation_accept(token=invitation.token, user=english)
    services.membership_leave(team=team, user=english)
    services.membership_remove(membership=team.memberships.get(user=joiner), actor=founder)
    other = participant(event)
    add_member(team, other)
    services.team_close(team=team, actor=founder)

    sent = set(Notification.objects.values_list("kind", flat=True))
    assert sent == set(KINDS)
    for notification in Notification.objects.all():
        text = render_inapp_text(notification)
        assert team.name in text, notification.kind
        message = render_email(notification)
        assert team.name in message.subject and team.name in message.body
        assert message.body.count("http") >= 1  # a link to the page
    received = Notification.objects.filter(kind="team.join_request_received").order_by("pk")[0]
    assert "Ich kann React & Vue." in render_email(received).body
    assert "&amp;" not in render_email(received).body
    # The e-mail went out on commit (eager Celery in tests).
    assert [m.to for m in mail.outbox] == [[founder.email]]
