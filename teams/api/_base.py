"""What the teams API's modules share: path parameters, the permission class whose 403
the schema documents, the decorator of an action on one team, the rule check, the 404 of
what the team does not have, and the team's detail as the answer."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response

from hackathon.api_views import ID_PARAMETER, path_number
from teams import selectors
from teams.models import Team
from teams.serializers import TeamDetailSerializer


class IsSignedInTeamRules(permissions.IsAuthenticated):
    """Signed in; then the team rules decide, with 403 for a team one may see but not
    change (a subclass, so the schema documents that 403)."""


REQUEST_ID_PARAMETER = path_number("request_id")
INVITATION_ID_PARAMETER = path_number("invitation_id")
USER_ID_PARAMETER = path_number("user_id")
ROLE_ID_PARAMETER = path_number("role_id")
TOKEN_PARAMETER = OpenApiParameter("token", str, OpenApiParameter.PATH)


def team_action(
    schemas: dict[str, dict],
    *,
    url_path: str | None = None,
    permission=IsSignedInTeamRules,
    **options,
):
    """An action on one team (/api/v1/teams/{id}/<url_path>/, by default the function's
    name): `schemas` maps each HTTP method to its schema (summary, request, responses and
    the path parameters after `id`); `options` go to DRF's action (pagination_class)."""

    def decorate(function):
        function = action(
            detail=True,
            methods=[method.lower() for method in schemas],
            url_path=url_path,
            permission_classes=[permission],
            **options,
        )(function)
        # Bottom up, as stacked decorators are; one method needs no `methods`.
        for method, schema in reversed(schemas.items()):
            schema = dict(schema)
            parameters = [ID_PARAMETER, *schema.pop("parameters", ())]
            methods = [method] if len(schemas) > 1 else None
            function = extend_schema(methods=methods, parameters=parameters, **schema)(function)
        return function

    return decorate


def listing_and_adding(*, listed: str, filters, added: str, request, serializer) -> dict:
    """The schemas of a team's things: GET lists them (summary `listed`, query parameters
    `filters`), POST adds one (summary `added`, body `request`; 201 with the new one)."""
    return {
        "GET": {"summary": listed, "parameters": [filters], "responses": serializer(many=True)},
        "POST": {"summary": added, "request": request, "responses": {201: serializer}},
    }


def removing(summary: str, parameter: OpenApiParameter) -> dict:
    """The schema of a DELETE of one of a team's things, named by the path's `parameter`:
    no body, 204."""
    return {
        "summary": summary,
        "parameters": [parameter],
        "request": None,
        "responses": {204: None},
    }


def team_with_details(*, pk, user) -> Team:
    """The team as the web's team page reads it (a team of an event the person may see,
    else 404), with what its detail shows: members, open roles with skills, languages."""
    return selectors.team_page_data(team=selectors.team_for_user(pk=pk, user=user))


def require(predicate, user, team: Team, message: str) -> None:
    """403 with `message` unless the team rule lets the person do this."""
    if not predicate(user, team):
        raise PermissionDenied(message)


def team_if_allowed(view, predicate, message: str) -> Team:
    """The action's team (404 for a team the person may not see), if the team rule lets
    them do this; else 403 with `message`."""
    team = view.get_object()
    require(predicate, view.request.user, team, message)
    return team


def found(thing):
    """`thing` as a selector found it on the team: 404 where it found none."""
    if thing is None:
        raise NotFound()
    return thing


def team_detail_response(view, team: Team, *, code=status.HTTP_200_OK) -> Response:
    """The team as it is now (re-read after a change), in its detail shape."""
    team = team_with_details(pk=team.pk, user=view.request.user)
    data = TeamDetailSerializer(team, context=view.get_serializer_context()).data
    return Response(data, status=code)
