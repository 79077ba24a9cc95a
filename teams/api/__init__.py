"""The teams API, with the same rules as the web (teams.rules, teams.selectors,
teams.services); one module per resource, each reading through the selectors only.

/api/v1/teams/                                   the finder's teams of one event (`event` is
                                                 required: at #WirVsVirus scale a list across
                                                 events helps nobody); POST founds a team
/api/v1/teams/{id}/                              any team of a visible event; PATCH by its admins
/api/v1/teams/{id}/join-requests/                POST: ask to join; GET: admins see the pending
                                                 requests, anyone else their own
/api/v1/teams/{id}/join-requests/{rid}/accept/   admins (also decline/); withdraw/ by the person
/api/v1/teams/{id}/invitations/                  admins: list valid links, create one (with
                                                 `invitee`: a personal invitation, notified)
/api/v1/teams/{id}/invitations/{iid}/            DELETE: admins revoke a link
/api/v1/teams/{id}/leave/                        a member leaves
/api/v1/teams/{id}/members/{user}/               DELETE: admins remove a member
/api/v1/teams/{id}/admins/                       POST: admins make a member admin (step_down)
/api/v1/teams/{id}/close/                        POST: admins close (dissolve) the team
/api/v1/teams/{id}/open-roles/                   POST: admins add a role; {role_id}/: PATCH, DELETE
/api/v1/invitations/{token}/                     GET: the invited team; POST accept/: join it
/api/v1/me/teams/                                the teams the signed-in person is in

teams.py holds TeamViewSet (the team itself, and the actions of join_requests.py,
invitations.py, members.py and open_roles.py) and MyTeamViewSet; invitations.py also
InvitationViewSet, the links by their token.

A team nobody may see is 404; a team one may see but not change is 403; a rule that
refuses (team full, already in a team, …) is 400 naming the field or `non_field_errors`.
"""

from teams.api.invitations import InvitationViewSet
from teams.api.teams import MyTeamViewSet, TeamViewSet

__all__ = ["InvitationViewSet", "MyTeamViewSet", "TeamViewSet"]
