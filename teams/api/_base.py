"""What the teams API's modules share: path parameters, the permission class whose 403
the schema documents, the rule check and the team's detail as the answer."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import permissions, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from teams import selectors
from teams.models import Team
from teams.serializers import TeamDetailSerializer


class IsSignedInTeamRules(permissions.IsAuthenticated):
    """Signed in; then the team rules decide, with 403 for a team one may see but not
    change (a subclass, so the schema documents that 403)."""


ID_PARAMETER = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH)
REQUEST_ID_PARAMETER = OpenApiParameter("request_id", OpenApiTypes.INT, OpenApiParameter.PATH)
INVITATION_ID_PARAMETER = OpenApiParameter("invitation_id", OpenApiTypes.INT, OpenApiParameter.PATH)
USER_ID_PARAMETER = OpenApiParameter("user_id", OpenApiTypes.INT, OpenApiParameter.PATH)
ROLE_ID_PARAMETER = OpenApiParameter("role_id", OpenApiTypes.INT, OpenApiParameter.PATH)
TOKEN_PARAMETER = OpenApiParameter("token", str, OpenApiParameter.PATH)


def team_with_details(*, pk, user) -> Team:
    """The team as the web's team page reads it (a team of an event the person may see,
    else 404), with what its detail shows: members, open roles with skills, languages."""
    return selectors.team_page_data(team=selectors.team_for_user(pk=pk, user=user))


def require(predicate, user, team: Team, message: str) -> None:
    """403 with `message` unless the team rule lets the person do this."""
    if not predicate(user, team):
        raise PermissionDenied(message)


def team_detail_response(view, team: Team, *, code=status.HTTP_200_OK) -> Response:
    """The team as it is now (re-read after a change), in its detail shape."""
    team = team_with_details(pk=team.pk, user=view.request.user)
    data = TeamDetailSerializer(team, context=view.get_serializer_context()).data
    return Response(data, status=code)
