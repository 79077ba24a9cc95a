"""/api/v1/invitations/{token}/ (teams/api/invitations.py): a link to a team of an event
one may not see is no link at all, as on the web's invitation page."""

from __future__ import annotations

import pytest

from teams import services
from teams.models import Membership
from tests.factories import ChallengeFactory, EventFactory, OrganiserFactory, RegistrationFactory
from tests.teams.conftest import participant, team_of

pytestmark = pytest.mark.django_db

NOT_FOUND = {
    "type": "client_error",
    "errors": [{"code": "not_found", "detail": "Not found.", "attr": None}],
}


@pytest.fixture
def hidden_invitation(db):
    event = EventFactory(is_public=False)
    founder = participant(event)
    team = team_of(event, ChallengeFactory(event=event), founder)
    return services.invitation_create(team=team, actor=founder)


def test_a_link_to_a_team_of_an_unpublished_event_is_404(api, hidden_invitation):
    outsider = RegistrationFactory(event=hidden_invitation.team.event).user
    api.force_authenticate(outsider)
    link = f"/api/v1/invitations/{hidden_invitation.token}/"

    preview = api.get(link)
    accepted = api.post(f"{link}accept/")

    assert (preview.status_code, preview.json()) == (404, NOT_FOUND)
    assert (accepted.status_code, accepted.json()) == (404, NOT_FOUND)
    assert not Membership.objects.filter(user=outsider).exists()


def test_organisers_see_the_link_to_a_team_of_an_unpublished_event(api, hidden_invitation):
    api.force_authenticate(OrganiserFactory())
    preview = api.get(f"/api/v1/invitations/{hidden_invitation.token}/")
    assert preview.status_code == 200
    assert preview.json()["team"]["id"] == hidden_invitation.team.pk
