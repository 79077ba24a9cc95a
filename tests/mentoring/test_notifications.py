from __future__ import annotations

import pytest

from mentoring.services import help_request_claim, help_request_close, help_request_release
from notifications.models import Notification
from notifications.rendering import render_email, render_inapp

pytestmark = pytest.mark.django_db


def test_every_help_notification_renders_as_mail_and_in_app(
    help_request, mentor, team_member, team_admin
):
    help_request_claim(help_request=help_request, mentor=mentor)
    help_request_release(help_request=help_request, mentor=mentor)
    help_request_claim(help_request=help_request, mentor=mentor)
    help_request_close(help_request=help_request, actor=team_member)

    kinds = set(Notification.objects.values_list("kind", flat=True))
    assert kinds == {"help.claimed", "help.released", "help.closed"}
    for notification in Notification.objects.select_related("recipient"):
        message = render_email(notification)
        assert "Datenhelden" in message.subject
        assert help_request.question[:30] in message.body
        assert "/mentoring/" in message.body  # the link to the requests
        assert "Datenhelden" in render_inapp(notification)
    assert not any(
        help_request.contact in n.context.values() for n in Notification.objects.all()
    ), "contact details stay on the site"
