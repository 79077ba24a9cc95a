"""What the judging API's modules share: the permission class whose 403 the schema
documents, the path parameters after a round's id, the round an organiser manages (404
for anyone else) and the decorator of an action on one round."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import permissions
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound

from hackathon.api_views import ID_PARAMETER, path_number
from judging import rules, selectors
from judging.models import JudgingRound

# The 409 of a refusal by the round's state (hackathon.errors.Conflict), as the projects
# API documents it: one component for the whole API.
from projects.api import CONFLICT_RESPONSE

__all__ = [
    "CONFLICT_RESPONSE",
    "CRITERION_ID_PARAMETER",
    "RUN_ID_PARAMETER",
    "IsSignedInJudgingRules",
    "found",
    "managed_round",
    "round_action",
]


class IsSignedInJudgingRules(permissions.IsAuthenticated):
    """Signed in (401 otherwise); then judging.rules decide: 404 for a round or review
    one may not see, 403 for what one sees but may not do (a subclass, so the schema
    documents that 403)."""


CRITERION_ID_PARAMETER = path_number("criterion_id")
RUN_ID_PARAMETER = path_number("run_id")


def found(thing):
    """`thing` as a selector found it: 404 where it found none."""
    if thing is None:
        raise NotFound()
    return thing


def managed_round(*, pk, user) -> JudgingRound:
    """The round with its criteria if this person manages it (an organiser of its event);
    404 otherwise, as if there were none."""
    round = found(selectors.round_with_criteria(pk=pk))
    if not rules.can_manage_round(user, round):
        raise NotFound()
    return round


def round_action(schemas: dict[str, dict], *, url_path: str, **options):
    """An action on one round (/api/v1/judging/rounds/{id}/<url_path>/): `schemas` maps
    each HTTP method to its schema (summary, request, responses and the path parameters
    after `id`); `options` go to DRF's action (pagination_class)."""

    def decorate(function):
        function = action(
            detail=True,
            methods=[method.lower() for method in schemas],
            url_path=url_path,
            permission_classes=[IsSignedInJudgingRules],
            **options,
        )(function)
        for method, schema in reversed(schemas.items()):
            schema = dict(schema)
            parameters = [ID_PARAMETER, *schema.pop("parameters", ())]
            methods = [method] if len(schemas) > 1 else None
            function = extend_schema(methods=methods, parameters=parameters, **schema)(function)
        return function

    return decorate
