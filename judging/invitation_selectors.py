"""Reads for the invitation pages: a round's invitations, a juror's own seat, and the
team search of the juror's conflicts (an event may have 1,500 teams; the page lists the
declared ones and what a search finds, never all of them)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from challenges.models import Topic
from judging.models import JudgingRound, Juror, JurorInvitation
from teams.models import Team

TEAM_SEARCH_LIMIT = 20


def invitations_of_round(*, round: JudgingRound) -> QuerySet[JurorInvitation]:
    """The round's invitations, newest first, with who accepted and the expertise given
    (three queries whatever their number)."""
    return (
        JurorInvitation.objects.filter(round=round)
        .select_related("juror__user", "invited_by")
        .prefetch_related(Prefetch("expertise", queryset=Topic.objects.order_by("name")))
        .order_by("-created_at", "-pk")
    )


def juror_for_user(*, round: JudgingRound, user) -> Juror:
    """The person's own seat in the round; 404 for anyone who is not its juror."""
    if not user.is_authenticated:
        raise Http404
    juror = (
        Juror.objects.filter(round=round, user=user)
        .select_related("round__event", "user")
        .prefetch_related("expertise", "conflict_teams")
        .first()
    )
    if juror is None:
        raise Http404
    return juror


def teams_for_conflict_search(
    *, event, query: str, exclude: Iterable[int] = (), limit: int = TEAM_SEARCH_LIMIT
) -> list[Team]:
    """Teams of the event whose name contains `query` (at least two characters), by name,
    without those already chosen; at most `limit`. One query."""
    query = " ".join((query or "").split())
    if len(query) < 2:
        return []
    return list(
        Team.objects.filter(event=event, name__icontains=query)
        .exclude(pk__in=list(exclude))
        .order_by("name", "pk")[:limit]
    )
