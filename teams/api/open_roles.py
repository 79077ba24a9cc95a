"""The roles a team wants filled: /api/v1/teams/{id}/open-roles/ (POST) and
/open-roles/{role_id}/ (PATCH, DELETE), for the team's admins. Actions of TeamViewSet."""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from teams import rules, selectors, services
from teams.api._base import ROLE_ID_PARAMETER, found, removing, team_action, team_if_allowed
from teams.models import OpenRole
from teams.serializers import OpenRoleSerializer, OpenRoleWriteSerializer


def _open_role_data(request, *, role: OpenRole | None = None) -> dict:
    """The service's arguments. `skills` (slugs) replaces the role's skills when given,
    `other_skills` adds free ones by name; on a PATCH without `skills` the role keeps
    the skills it has (curated or free, as a GET lists them)."""
    serializer = OpenRoleWriteSerializer(data=request.data, partial=role is not None)
    serializer.is_valid(raise_exception=True)
    data = serializer.validated_data
    if "skills" in data:
        slugs = set(data["skills"])
        skills = selectors.skills_for_open_role(slugs=slugs, role=role)
        if len(skills) != len(slugs):
            raise ValidationError(
                {"skills": [_("Unknown skill; use the slugs of curated skills.")]}
            )
    else:
        skills = list(role.skills.all()) if role is not None else []
    return {
        "title": data.get("title", role.title if role else ""),
        "description": data.get("description", role.description if role else ""),
        "skills": skills,
        "skill_names": [", ".join(data.get("other_skills", []))],
    }


class OpenRoleActions:
    @team_action(
        {
            "POST": {
                "summary": "Add an open role the team wants filled (team admins)",
                "request": OpenRoleWriteSerializer,
                "responses": {201: OpenRoleSerializer},
            }
        },
        url_path="open-roles",
    )
    def open_roles(self, request, pk=None) -> Response:
        team = team_if_allowed(self, rules.can_edit_team, _("Only the team's admins can edit it."))
        role = services.open_role_create(team=team, actor=request.user, **_open_role_data(request))
        return Response(OpenRoleSerializer(role).data, status=status.HTTP_201_CREATED)

    @team_action(
        {
            "PATCH": {
                "summary": "Change an open role; given skills replace its skills (team admins)",
                "parameters": [ROLE_ID_PARAMETER],
                "request": OpenRoleWriteSerializer,
                "responses": OpenRoleSerializer,
            },
            "DELETE": removing("Remove an open role (team admins)", ROLE_ID_PARAMETER),
        },
        url_path=r"open-roles/(?P<role_id>\d+)",
    )
    def open_role(self, request, pk=None, role_id=None) -> Response:
        team = team_if_allowed(self, rules.can_edit_team, _("Only the team's admins can edit it."))
        role = found(selectors.open_role_of_team(team=team, pk=role_id))
        if request.method == "DELETE":
            services.open_role_delete(role=role, actor=request.user)
            return Response(status=status.HTTP_204_NO_CONTENT)
        role = services.open_role_update(
            role=role, actor=request.user, **_open_role_data(request, role=role)
        )
        return Response(OpenRoleSerializer(role).data)
