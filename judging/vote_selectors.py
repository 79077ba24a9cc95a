"""Reads for a round's public vote: the projects one may vote for, one's vote, the counts.

The counts are the public's, shown apart from the jury's result (judging.results) and
never mixed into it. Every read costs a fixed number of queries however many projects
and votes there are.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Lower
from django.http import Http404

from judging.models import JudgingRound, PublicVote
from judging.rules import can_see_vote, can_see_vote_results
from judging.selectors import eligible_projects
from projects.models import Project
from projects.selectors import attached_images, projects_for_gallery
from teams.models import Membership


def _round(pk: int) -> JudgingRound | None:
    return JudgingRound.objects.select_related("event").filter(pk=pk).first()


def round_for_vote(*, pk: int, user) -> JudgingRound:
    """The round for its vote page; 404 unless it has a public vote this person may see
    (judging.rules.can_see_vote)."""
    round = _round(pk)
    if round is None or not can_see_vote(user, round):
        raise Http404("No such public vote.")
    return round


def round_for_vote_results(*, pk: int, user) -> JudgingRound:
    """The round for its vote counts; 404 unless this person may see them: everyone once
    the round is published, its organisers at any time (judging.rules.can_see_vote_results)."""
    round = _round(pk)
    if round is None or not can_see_vote_results(user, round):
        raise Http404("No such public vote.")
    return round


# The long texts a vote card never shows (as the gallery's cards).
CARD_DEFERRED_FIELDS = (
    "problem",
    "solution",
    "target_group",
    "how_it_works",
    "next_steps",
    "search_document",
)


def projects_for_vote(*, round: JudgingRound, params: Mapping[str, Any]) -> QuerySet[Project]:
    """The projects one may vote for in the round, as the gallery lists them: searched
    with `params["q"]` (best match first), otherwise newest first, with their team and
    images (what a vote card shows) and without their long texts. Three queries a page."""
    entering = eligible_projects(round=round).values("pk")
    return (
        projects_for_gallery(event=round.event, params={"q": params.get("q", "")})
        .filter(pk__in=entering)
        .defer(*CARD_DEFERRED_FIELDS)
        .prefetch_related(None)
        .prefetch_related(Prefetch("images", queryset=attached_images(), to_attr="public_images"))
    )


def project_for_vote(*, pk: int) -> Project | None:
    """The project a vote names, or None (whether it may be voted for is the service's
    question: vote_cast)."""
    return Project.objects.filter(pk=pk).first()


def vote_of(*, round: JudgingRound, user) -> PublicVote | None:
    """The person's vote in the round's event (one per event: it may be in another
    round), with its project and round; None for the signed-out and those who did not
    vote. One query."""
    if not (user and user.is_authenticated):
        return None
    return (
        PublicVote.objects.filter(event_id=round.event_id, user_id=user.pk)
        .select_related("project", "round")
        .first()
    )


def own_team_ids(*, round: JudgingRound, user) -> set[int]:
    """The ids of the person's teams in the round's event (whose projects they may not
    vote for). One query."""
    if not (user and user.is_authenticated):
        return set()
    return set(
        Membership.objects.filter(event_id=round.event_id, user_id=user.pk).values_list(
            "team_id", flat=True
        )
    )


@dataclass(frozen=True)
class VoteCount:
    """A project's votes in the round and its rank: equal counts share a rank (1, 1, 3),
    and `tied` says so."""

    project: Project
    votes: int
    rank: int
    tied: bool


def _ranked(projects: Iterable[Project]) -> list[VoteCount]:
    """Ranks projects ordered by their `votes`, most first."""
    projects = list(projects)
    per_count: dict[int, int] = {}
    for project in projects:
        per_count[project.votes] = per_count.get(project.votes, 0) + 1
    counts: list[VoteCount] = []
    for position, project in enumerate(projects, start=1):
        shared = bool(counts) and counts[-1].votes == project.votes
        counts.append(
            VoteCount(
                project=project,
                votes=project.votes,
                rank=counts[-1].rank if shared else position,
                tied=per_count[project.votes] > 1,
            )
        )
    return counts


def vote_counts(*, round: JudgingRound) -> list[VoteCount]:
    """The projects of the round with at least one vote, most votes first (ties by
    title), with their counts and shared ranks. One query."""
    votes = PublicVote.objects.filter(round_id=round.pk)
    per_project = (
        votes.filter(project_id=OuterRef("pk"))
        .order_by()
        .values("project_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    projects = (
        Project.objects.filter(pk__in=votes.values("project_id"))
        .annotate(votes=Subquery(per_project))
        .select_related("team")
        .only("pk", "title", "pitch", "team__name")
        .order_by("-votes", Lower("title"), "pk")
    )
    return _ranked(projects)


def vote_total(*, round: JudgingRound) -> int:
    """How many people voted in the round. One query."""
    return PublicVote.objects.filter(round_id=round.pk).count()
