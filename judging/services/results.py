"""Writes on a round's results: the shortlist, publishing, telling the teams.

Organisers shortlist once a round is closed and until they publish it: the top n
(overall or per topic field, from judging.results) in one action, or project by project.
Publishing fixes the round (scores are read-only from then on: judging.rules.round_is_open
is false for a published round, so can_review_assignment refuses every juror) and writes
one TeamOutcomeNotice per team judged; the Celery task `judging.notify_outcomes` tells
each team once (outcomes_notify).

What a team is told: a shortlisted project "goes on" ("shortlisted") when the event has a
later round, and is a "winner" when this is the event's last round; every other judged
project is "not_selected".
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_log
from hackathon.queue import enqueue_on_commit
from judging.enums import RoundStatus
from judging.errors import JudgingError
from judging.models import Assignment, JudgingRound, ShortlistEntry, TeamOutcomeNotice
from judging.notification_kinds import JUDGING_OUTCOME
from judging.results import (
    OUTCOME_NOT_SELECTED,
    OUTCOME_SHORTLISTED,
    OUTCOME_WINNER,
    round_results,
)
from judging.rules import is_round_organiser
from notifications.services import notify_many
from projects.models import Project
from teams.models import Membership

NOTIFY_BATCH = 200  # teams told per transaction


def _locked_round(round: JudgingRound, actor) -> JudgingRound:
    """The round, locked, after checking the actor organises its event."""
    round = (
        JudgingRound.objects.select_for_update(of=("self",))
        .select_related("event")
        .get(pk=round.pk)
    )
    if not is_round_organiser(actor, round):
        raise JudgingError(_("Only organisers of the event can shortlist and publish results."))
    return round


def _require_shortlisting(round: JudgingRound) -> None:
    if round.status == RoundStatus.PUBLISHED:
        raise JudgingError(
            _("The results are published: the shortlist can no longer change."), conflict=True
        )
    if round.status != RoundStatus.CLOSED:
        raise JudgingError(_("Projects are shortlisted once the round is closed."), conflict=True)


def _judged_project(round: JudgingRound, project: Project) -> None:
    if not Assignment.objects.filter(round=round, project=project).exists():
        raise JudgingError(_("This project was not judged in this round."), field="project")


@transaction.atomic
def shortlist_top(
    *, round: JudgingRound, actor, n: int, per_topic: bool = False
) -> list[ShortlistEntry]:
    """Makes the shortlist the top n projects by normalised score: overall, or the top n
    of each topic field (projects without one form a group of their own). Projects tied
    at the cut all go in (the rank is shared), so the list may hold more than n.
    Replaces the shortlist so far, including projects added by hand. Organisers only,
    on a closed round. Side effects: the entries, an audit entry of what changed."""
    round = _locked_round(round, actor)
    _require_shortlisting(round)
    if n < 1:
        raise JudgingError(_("Shortlist at least one project."), field="n")
    results = round_results(round=round)
    attribute = "topic_rank" if per_topic else "rank"
    chosen = {
        row.project.pk
        for row in results.rows
        if getattr(row, attribute) is not None and getattr(row, attribute) <= n
    }
    before = set(ShortlistEntry.objects.filter(round=round).values_list("project_id", flat=True))
    ShortlistEntry.objects.filter(round=round).exclude(project_id__in=chosen).delete()
    ShortlistEntry.objects.bulk_create(
        [
            ShortlistEntry(round=round, project_id=pk, added_by=actor)
            for pk in sorted(chosen - before)
        ]
    )
    audit_log(
        actor=actor,
        action="judging.shortlist_top",
        target=round,
        data={
            "n": n,
            "per_topic": per_topic,
            "added": sorted(chosen - before),
            "removed": sorted(before - chosen),
        },
    )
    return list(ShortlistEntry.objects.filter(round=round).order_by("pk"))


@transaction.atomic
def shortlist_add(*, round: JudgingRound, actor, project: Project) -> ShortlistEntry:
    """Puts one project judged in the round on its shortlist (again: nothing changes).
    Organisers only, on a closed round. Side effects: the entry, an audit entry."""
    round = _locked_round(round, actor)
    _require_shortlisting(round)
    _judged_project(round, project)
    entry, created = ShortlistEntry.objects.get_or_create(
        round=round, project=project, defaults={"added_by": actor}
    )
    if created:
        audit_log(
            actor=actor,
            action="judging.shortlist_added",
            target=round,
            data={"project": project.pk},
        )
    return entry


@transaction.atomic
def shortlist_remove(*, round: JudgingRound, actor, project: Project) -> None:
    """Takes one project off the round's shortlist. Organisers only, on a closed round.
    Side effects: an audit entry when it was on it."""
    round = _locked_round(round, actor)
    _require_shortlisting(round)
    deleted, _rows = ShortlistEntry.objects.filter(round=round, project=project).delete()
    if deleted:
        audit_log(
            actor=actor,
            action="judging.shortlist_removed",
            target=round,
            data={"project": project.pk},
        )


@transaction.atomic
def round_publish(*, round: JudgingRound, actor) -> JudgingRound:
    """Publishes a closed round's results, once. Organisers only.

    Side effects: the round's status, published_at and published_by (a conditional
    UPDATE, so of two organisers publishing at once one wins and the other is refused);
    one TeamOutcomeNotice per team whose project was assigned in the round; the task
    judging.notify_outcomes enqueued on commit; an audit entry.
    """
    round = _locked_round(round, actor)
    if round.status == RoundStatus.PUBLISHED:
        raise JudgingError(_("The results of this round are published already."), conflict=True)
    now = timezone.now()
    published = JudgingRound.objects.filter(pk=round.pk, status=RoundStatus.CLOSED).update(
        status=RoundStatus.PUBLISHED, published_at=now, published_by=actor
    )
    if not published:
        raise JudgingError(_("Only a closed round's results can be published."), conflict=True)
    round.status, round.published_at, round.published_by = RoundStatus.PUBLISHED, now, actor
    team_ids = set(
        Project.objects.filter(
            pk__in=Assignment.objects.filter(round=round).values("project_id")
        ).values_list("team_id", flat=True)
    )
    TeamOutcomeNotice.objects.bulk_create(
        [TeamOutcomeNotice(round=round, team_id=pk) for pk in sorted(team_ids)],
        ignore_conflicts=True,
        batch_size=1000,
    )
    audit_log(
        actor=actor,
        action="judging.round_published",
        target=round,
        data={
            "teams": len(team_ids),
            "shortlisted": sorted(
                ShortlistEntry.objects.filter(round=round).values_list("project_id", flat=True)
            ),
        },
    )
    from judging.tasks import notify_outcomes

    enqueue_on_commit(notify_outcomes, [{"round_id": round.pk}])
    return round


def shortlisted_outcome(round: JudgingRound) -> str:
    """What a shortlisted project of the round is: a winner in the event's last round,
    else it goes on to the next one."""
    later = JudgingRound.objects.filter(event_id=round.event_id, position__gt=round.position)
    return OUTCOME_SHORTLISTED if later.exists() else OUTCOME_WINNER


def outcomes_notify(*, round_id: int) -> int:
    """Tells the members of every team of a published round its outcome (the
    notification kind judging.outcome, each member in their own language when it is
    delivered), each team once; returns how many teams this call told.

    Safe to call at any time and as often as one likes (a sweep may): a round that is
    not published, or whose teams were all told, tells nobody. Teams are taken in
    batches, each claimed by locking its rows (SKIP LOCKED, so two workers never take the
    same team) and setting sent_at in the transaction that writes its notifications: a
    team is told exactly when its notice is marked sent. Queries: a few per batch plus
    notify_many's few per team, whatever the size of the teams.
    """
    round = (
        JudgingRound.objects.filter(pk=round_id, status=RoundStatus.PUBLISHED)
        .select_related("event")
        .first()
    )
    if round is None:
        return 0
    shortlisted_as = shortlisted_outcome(round)
    told = 0
    while True:
        with transaction.atomic():
            notices = list(
                TeamOutcomeNotice.objects.select_for_update(skip_locked=True)
                .filter(round=round, sent_at__isnull=True)
                .order_by("pk")[:NOTIFY_BATCH]
            )
            if not notices:
                return told
            team_ids = [notice.team_id for notice in notices]
            projects = {
                project.team_id: project
                for project in Project.objects.filter(team_id__in=team_ids).only(
                    "pk", "team_id", "title"
                )
            }
            shortlisted = set(
                ShortlistEntry.objects.filter(round=round).values_list("project_id", flat=True)
            )
            members: dict[int, list] = {}
            for membership in Membership.objects.filter(team_id__in=team_ids).select_related(
                "user"
            ):
                members.setdefault(membership.team_id, []).append(membership.user)
            claimed = TeamOutcomeNotice.objects.filter(
                pk__in=[notice.pk for notice in notices], sent_at__isnull=True
            ).update(sent_at=timezone.now())
            if claimed != len(notices):  # pragma: no cover -- the rows are locked
                raise RuntimeError("Outcome notices changed while locked.")
            for notice in notices:
                project = projects.get(notice.team_id)
                if project is None:
                    continue  # the project was deleted meanwhile: nothing to tell
                notify_many(
                    recipients=members.get(notice.team_id, []),
                    kind=JUDGING_OUTCOME,
                    context={
                        "round_name": round.name,
                        "event_name": round.event.name,
                        "project_title": project.title,
                        "outcome": shortlisted_as
                        if project.pk in shortlisted
                        else OUTCOME_NOT_SELECTED,
                        "url": reverse("judging:feedback", args=[project.pk]),
                    },
                )
                told += 1


def outcomes_requeue_pending(*, older_than_minutes: int = 10) -> int:
    """Enqueues judging.notify_outcomes again for every published round with teams not
    yet told whose notices are older than `older_than_minutes` (the task never arrived,
    or its worker died); returns how many rounds. For a beat sweep: outcomes_notify is
    safe to run twice, so a round enqueued while its task is under way costs nothing."""
    from judging.tasks import notify_outcomes

    due = timezone.now() - timedelta(minutes=older_than_minutes)
    round_ids = sorted(
        set(
            TeamOutcomeNotice.objects.filter(
                sent_at__isnull=True,
                created_at__lt=due,
                round__status=RoundStatus.PUBLISHED,
            ).values_list("round_id", flat=True)
        )
    )
    enqueue_on_commit(notify_outcomes, [{"round_id": pk} for pk in round_ids])
    return len(round_ids)
