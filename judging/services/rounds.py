"""Writes to judging rounds, their criteria and jurors.

Organisers of the event set up its rounds; criteria change only while a round is a
draft, since jurors score against them once it opens. Times given without a time zone
are read in the event's time zone (what organisers see on the event's pages). Every
write leaves an audit entry.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from audit.services import audit_log
from challenges.models import Topic
from events.models import Event
from events.rules import is_event_organiser
from judging.enums import ReviewStatus, RoundEntry, RoundStatus
from judging.errors import JudgingError
from judging.models import (
    DEFAULT_REVIEWS_PER_PROJECT,
    Assignment,
    AssignmentRun,
    Criterion,
    JudgingRound,
    Juror,
)
from teams.models import Team

# The five criteria of #WirVsVirus' pre-screening: (name, guidance), stored in the language
# active when the round is created.
DEFAULT_CRITERIA = (
    (
        gettext_noop("Social value"),
        gettext_noop("How much does the project help people or society if it works?"),
    ),
    (
        gettext_noop("Innovation"),
        gettext_noop("How new is the idea or the way it solves the problem?"),
    ),
    (
        gettext_noop("Feasibility and scalability"),
        gettext_noop("Can it be built and run, and can it grow beyond a first place or group?"),
    ),
    (
        gettext_noop("Progress"),
        gettext_noop("How far did the team get during the event?"),
    ),
    (
        gettext_noop("Clarity"),
        gettext_noop("How well do the texts, images and video explain the project?"),
    ),
)

ROUND_FIELDS = (
    "name",
    "entry",
    "topic",
    "reviews_per_project",
    "opens_at",
    "closes_at",
    "jurors_see_others_after_submitting",
    "public_vote",
)
CRITERION_FIELDS = ("name", "guidance", "scale_min", "scale_max", "weight", "position")
# Who is judged by how many: fixed once the round is no draft (a run has assigned by them).
FIXED_ONCE_OPEN = ("entry", "topic", "reviews_per_project")
# A closed round may get a later closing time (round_open needs one to reopen it); nothing
# else changes once it is closed, and nothing at all once it is published.
CHANGEABLE_WHILE_CLOSED = ("closes_at",)

# Bounds the forms, the admin and the API share (the columns are small integers: beyond
# them PostgreSQL refuses with a 500). Fifty reviews of one project is a whole jury; a
# weight of 100 makes one criterion outweigh 99 others; a scale of more than 20 steps
# (e.g. 0–20, -10–10) asks more precision of a juror than anyone has.
REVIEWS_PER_PROJECT_MAX = 50
WEIGHT_MAX = 100
SCALE_BOUND = 100  # -100 <= scale_min < scale_max <= 100
SCALE_STEPS_MAX = 20  # scale_max - scale_min


def _require_organiser(actor, event) -> None:
    if not is_event_organiser(actor, event):
        raise JudgingError(_("Only organisers of the event can manage its judging."))


def _in_event_time_zone(value: datetime | None, event) -> datetime | None:
    if value is not None and timezone.is_naive(value):
        return timezone.make_aware(value, event.tzinfo)
    return value


def _audit_value(value):
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Topic):
        return value.pk
    return value


def _check_round(round: JudgingRound) -> None:
    """What a round must be, whether just created or changed."""
    if not round.name.strip():
        raise JudgingError(_("Give the round a name."), field="name")
    if round.reviews_per_project < 1:
        raise JudgingError(
            _("Each project needs at least one review."), field="reviews_per_project"
        )
    if round.reviews_per_project > REVIEWS_PER_PROJECT_MAX:
        raise JudgingError(
            _("A project gets at most %(most)d reviews.") % {"most": REVIEWS_PER_PROJECT_MAX},
            field="reviews_per_project",
        )
    if round.opens_at and round.closes_at and round.closes_at <= round.opens_at:
        raise JudgingError(_("The round must close after it opens."), field="closes_at")
    if round.entry == RoundEntry.TOPIC:
        if round.topic is None:
            raise JudgingError(_("Choose the topic field the round judges."), field="topic")
        if round.topic.event_id != round.event_id:
            raise JudgingError(_("The topic field belongs to another event."), field="topic")
    elif round.topic is not None:
        raise JudgingError(
            _("A topic field is only chosen when the round judges one topic field."),
            field="topic",
        )


def _check_criterion(criterion: Criterion) -> None:
    if not criterion.name.strip():
        raise JudgingError(_("Give the criterion a name."), field="name")
    for field in ("scale_min", "scale_max"):
        if not -SCALE_BOUND <= getattr(criterion, field) <= SCALE_BOUND:
            raise JudgingError(
                _("Scores lie between %(lowest)d and %(highest)d.")
                % {"lowest": -SCALE_BOUND, "highest": SCALE_BOUND},
                field=field,
            )
    if criterion.scale_max <= criterion.scale_min:
        raise JudgingError(_("The highest score must be above the lowest."), field="scale_max")
    if criterion.scale_max - criterion.scale_min > SCALE_STEPS_MAX:
        raise JudgingError(
            _("A scale has at most %(steps)d steps from the lowest score to the highest.")
            % {"steps": SCALE_STEPS_MAX},
            field="scale_max",
        )
    if criterion.weight < 1:
        raise JudgingError(_("The weight must be at least 1."), field="weight")
    if criterion.weight > WEIGHT_MAX:
        raise JudgingError(
            _("The weight is at most %(most)d.") % {"most": WEIGHT_MAX}, field="weight"
        )


def _require_draft(round: JudgingRound) -> None:
    if round.status != RoundStatus.DRAFT:
        raise JudgingError(
            _("The criteria can only be changed while the round is a draft."), conflict=True
        )


@transaction.atomic
def round_create(
    *,
    event,
    actor,
    name: str,
    entry: str = RoundEntry.ALL_SUBMITTED,
    topic: Topic | None = None,
    reviews_per_project: int = DEFAULT_REVIEWS_PER_PROJECT,
    opens_at: datetime | None = None,
    closes_at: datetime | None = None,
    jurors_see_others_after_submitting: bool = False,
    public_vote: bool = False,
    criteria: Sequence[dict] | None = None,
) -> JudgingRound:
    """Adds a round after the event's last one. Organisers of the event only.

    `criteria` are dicts of Criterion fields (name, guidance, scale_min, scale_max,
    weight); without them the round gets the five default criteria, 1–5, equal weights.
    Side effects: the round, its criteria, an audit entry.
    """
    _require_organiser(actor, event)
    round = JudgingRound(
        event=event,
        name=name.strip(),
        entry=entry,
        topic=topic,
        reviews_per_project=reviews_per_project,
        opens_at=_in_event_time_zone(opens_at, event),
        closes_at=_in_event_time_zone(closes_at, event),
        jurors_see_others_after_submitting=jurors_see_others_after_submitting,
        public_vote=public_vote,
    )
    _check_round(round)
    # The event is locked, so two rounds created at once get distinct positions.
    Event.objects.select_for_update().filter(pk=event.pk).first()
    last = JudgingRound.objects.filter(event=event).aggregate(last=Max("position"))["last"]
    round.position = (last or 0) + 1
    round.save()
    if criteria is None:
        criteria = [
            {"name": _(label), "guidance": _(guidance)} for label, guidance in DEFAULT_CRITERIA
        ]
    created = []
    for position, fields in enumerate(criteria, start=1):
        unknown = set(fields) - set(CRITERION_FIELDS)
        if unknown:
            raise TypeError(f"Unknown criterion fields: {sorted(unknown)}")
        criterion = Criterion(round=round, **{"position": position, **fields})
        _check_criterion(criterion)
        created.append(criterion)
    Criterion.objects.bulk_create(created)
    audit_log(
        actor=actor,
        action="judging.round_created",
        target=round,
        data={"name": round.name, "criteria": [criterion.name for criterion in created]},
    )
    return round


@transaction.atomic
def round_update(*, round: JudgingRound, actor, data: dict) -> JudgingRound:
    """Changes a round's settings (ROUND_FIELDS). Organisers of the event only; times
    without a time zone are in the event's. Once the round is no draft, entry, topic field,
    reviews per project and the public vote stay as they are; once it is closed only a
    later closing time may be set (to open it again); once published nothing changes
    (each a conflict). Side effects: an audit entry of what changed."""
    _require_organiser(actor, round.event)
    unknown = set(data) - set(ROUND_FIELDS)
    if unknown:
        raise TypeError(f"Unknown round fields: {sorted(unknown)}")
    round = (
        JudgingRound.objects.select_for_update(of=("self",))
        .select_related("event", "topic")
        .get(pk=round.pk)
    )
    changed = {}
    for field, value in data.items():
        if field in ("opens_at", "closes_at"):
            value = _in_event_time_zone(value, round.event)
        if field == "name":
            value = value.strip()
        if getattr(round, field) != value:
            setattr(round, field, value)
            changed[field] = _audit_value(value)
    _check_round(round)
    if changed and round.status == RoundStatus.PUBLISHED:
        raise JudgingError(
            _("The round's results are published: its settings can no longer change."),
            conflict=True,
        )
    if round.status == RoundStatus.CLOSED and set(changed) - set(CHANGEABLE_WHILE_CLOSED):
        raise JudgingError(
            _("The round is closed: only a later closing time can be set, to open it again."),
            field=next(
                f for f in ROUND_FIELDS if f in changed and f not in CHANGEABLE_WHILE_CLOSED
            ),
            conflict=True,
        )
    fixed = [field for field in FIXED_ONCE_OPEN if field in changed]
    if fixed and round.status != RoundStatus.DRAFT:
        # The runs assigned by them: changing them mid-round would judge some projects by
        # fewer jurors than others, or projects that were never meant to enter.
        raise JudgingError(
            _(
                "Which projects enter the round and how many reviews each gets can only "
                "change while the round is a draft."
            ),
            field=fixed[0],
            conflict=True,
        )
    if "public_vote" in changed and round.status != RoundStatus.DRAFT:
        # Switching it on mid-round favours whoever hears of it first; off would hide votes.
        raise JudgingError(
            _("The public vote can only be switched on or off while the round is a draft."),
            field="public_vote",
            conflict=True,
        )
    if changed:
        round.save(update_fields=[*changed])
        audit_log(actor=actor, action="judging.round_updated", target=round, data=changed)
    return round


@transaction.atomic
def criterion_add(*, round: JudgingRound, actor, name: str, **fields) -> Criterion:
    """Adds a criterion after the round's last one, while the round is a draft."""
    _require_organiser(actor, round.event)
    round = JudgingRound.objects.select_for_update().get(pk=round.pk)
    _require_draft(round)
    unknown = set(fields) - set(CRITERION_FIELDS)
    if unknown:
        raise TypeError(f"Unknown criterion fields: {sorted(unknown)}")
    if "position" not in fields:
        last = round.criteria.aggregate(last=Max("position"))["last"]
        fields["position"] = (last or 0) + 1
    criterion = Criterion(round=round, name=name.strip(), **fields)
    _check_criterion(criterion)
    criterion.save()
    audit_log(
        actor=actor,
        action="judging.criterion_added",
        target=round,
        data={"criterion": criterion.pk, "name": criterion.name},
    )
    return criterion


@transaction.atomic
def criterion_update(*, criterion: Criterion, actor, data: dict) -> Criterion:
    """Changes a criterion (CRITERION_FIELDS) while its round is a draft."""
    round = (
        JudgingRound.objects.select_for_update(of=("self",))
        .select_related("event")
        .get(pk=criterion.round_id)
    )
    _require_organiser(actor, round.event)
    _require_draft(round)
    unknown = set(data) - set(CRITERION_FIELDS)
    if unknown:
        raise TypeError(f"Unknown criterion fields: {sorted(unknown)}")
    criterion = Criterion.objects.get(pk=criterion.pk)
    changed = {}
    for field, value in data.items():
        if field == "name":
            value = value.strip()
        if getattr(criterion, field) != value:
            setattr(criterion, field, value)
            changed[field] = value
    _check_criterion(criterion)
    if changed:
        criterion.save(update_fields=[*changed])
        audit_log(
            actor=actor,
            action="judging.criterion_updated",
            target=round,
            data={"criterion": criterion.pk, **changed},
        )
    return criterion


@transaction.atomic
def criterion_remove(*, criterion: Criterion, actor) -> None:
    """Removes a criterion while its round is a draft; a round keeps at least one."""
    round = (
        JudgingRound.objects.select_for_update(of=("self",))
        .select_related("event")
        .get(pk=criterion.round_id)
    )
    _require_organiser(actor, round.event)
    _require_draft(round)
    if not round.criteria.exclude(pk=criterion.pk).exists():
        raise JudgingError(_("A round needs at least one criterion."))
    audit_log(
        actor=actor,
        action="judging.criterion_removed",
        target=round,
        data={"criterion": criterion.pk, "name": criterion.name},
    )
    Criterion.objects.filter(pk=criterion.pk).delete()


def _topics_of_event(topics: Iterable[Topic], event) -> list[Topic]:
    topics = list(topics)
    if any(topic.event_id != event.pk for topic in topics):
        raise JudgingError(_("A topic field belongs to another event."), field="expertise")
    return topics


@transaction.atomic
def juror_add(*, round: JudgingRound, actor, user, expertise: Iterable[Topic] = ()) -> Juror:
    """Puts a person in the round's juror pool with their topic expertise. Organisers of
    the event only. Side effects: the juror, an audit entry."""
    _require_organiser(actor, round.event)
    topics = _topics_of_event(expertise, round.event)
    juror, created = Juror.objects.get_or_create(round=round, user=user)
    if not created and juror.active:
        raise JudgingError(_("This person is a juror of the round already."), field="user")
    if not created:
        # They left the round (juror_remove) and come back: their submitted reviews are there.
        juror.active = True
        juror.save(update_fields=["active"])
    juror.expertise.set(topics)
    audit_log(
        actor=actor,
        action="judging.juror_added",
        target=round,
        data={"juror": juror.pk, "user": user.pk, "expertise": [topic.pk for topic in topics]},
    )
    return juror


@transaction.atomic
def juror_remove(*, juror: Juror, actor) -> AssignmentRun | None:
    """Takes a juror out of the round's pool (they dropped out). Organisers of the event
    only, while the round is a draft or open.

    Their submitted reviews are kept and still count: a juror with any is deactivated
    (Juror.active: runs give them nothing new, no notices reach them); one without is
    deleted. Either way their assignments without a submitted review go (a draft review
    with them: it would never be submitted), and a run is started to give those projects
    to other jurors, if the round can still be assigned. Returns that run, or None.
    Side effects: the assignments, the juror (deactivated or deleted), an audit entry,
    the run's task enqueued on commit.
    """
    from judging.services.runs import assignment_run_start, not_assignable_because

    # The assignments first, then the round: the order a run saving its assignments and a
    # juror's conflict lock them in, so none of them waits for another in a circle.
    list(
        Assignment.objects.select_for_update(of=("self",))
        .filter(juror_id=juror.pk)
        .values_list("pk", flat=True)
    )
    round = (
        JudgingRound.objects.select_for_update(of=("self",))
        .select_related("event")
        .get(pk=juror.round_id)
    )
    _require_organiser(actor, round.event)
    if round.status not in (RoundStatus.DRAFT, RoundStatus.OPEN):
        raise JudgingError(
            _("Jurors can only leave a round while it is a draft or open."), conflict=True
        )
    juror = Juror.objects.select_for_update().select_related("user").filter(pk=juror.pk).first()
    if juror is None or not juror.active:
        raise JudgingError(_("This juror has left the round already."), conflict=True)
    submitted = Q(review__status=ReviewStatus.SUBMITTED)
    freed = Assignment.objects.filter(juror=juror).exclude(submitted)
    freed_count = freed.count()
    kept_count = Assignment.objects.filter(juror=juror).filter(submitted).count()
    freed.delete()
    audit_log(
        actor=actor,
        action="judging.juror_removed",
        target=round,
        data={
            "juror": juror.pk,
            "user": juror.user_id,
            "freed": freed_count,
            "submitted_kept": kept_count,
        },
    )
    if kept_count:
        juror.active = False
        juror.save(update_fields=["active"])
    else:
        juror.delete()
    if freed_count and not_assignable_because(round) is None:
        return assignment_run_start(round=round, actor=actor)
    return None


@transaction.atomic
def conflict_declare(
    *, juror: Juror, actor, teams: Iterable[Team] = (), organisations: Iterable[str] = ()
) -> Juror:
    """The juror (or an organiser of the event) declares conflicts of interest: teams of the
    event and organisations by name. Declarations add up; none is taken back here.
    Side effects: an audit entry."""
    juror = Juror.objects.select_for_update().select_related("round__event").get(pk=juror.pk)
    event = juror.round.event
    if not (actor.is_authenticated and actor.pk == juror.user_id) and not is_event_organiser(
        actor, event
    ):
        raise JudgingError(_("Only the juror or an organiser can declare a conflict."))
    teams = list(teams)
    if any(team.event_id != event.pk for team in teams):
        raise JudgingError(_("A team belongs to another event."), field="teams")
    known = {name.casefold() for name in juror.organisation_names}
    new_names = []
    for name in organisations:
        name = " ".join(name.split())
        if name and name.casefold() not in known:
            known.add(name.casefold())
            new_names.append(name)
    if new_names:
        juror.conflict_organisations = "\n".join([*juror.organisation_names, *new_names])
        juror.save(update_fields=["conflict_organisations"])
    juror.conflict_teams.add(*teams)
    audit_log(
        actor=actor,
        action="judging.conflict_declared",
        target=juror,
        data={"teams": [team.pk for team in teams], "organisations": new_names},
    )
    return juror


# --- opening and closing (helper "runs") -----------------------------------------------------


@transaction.atomic
def round_open(*, round: JudgingRound, actor) -> JudgingRound:
    """Opens a draft (or closed, not yet published) round for reviews. Organisers of the
    event only; the round needs criteria and at least one juror, and a closing time that
    has not passed. Side effects: the status, an audit entry; each juror with
    assignments who was not told yet is told of their queue (mails after commit)."""
    from judging.services.runs import queue_notices_send

    round = (
        JudgingRound.objects.select_for_update(of=("self",))
        .select_related("event")
        .get(pk=round.pk)
    )
    _require_organiser(actor, round.event)
    if round.status not in (RoundStatus.DRAFT, RoundStatus.CLOSED):
        raise JudgingError(_("Only a draft or closed round can be opened."), conflict=True)
    if not round.criteria.exists():
        raise JudgingError(_("The round needs at least one criterion before it opens."))
    if not round.jurors.exists():
        raise JudgingError(_("The round needs at least one juror before it opens."))
    if round.closes_at is not None and round.closes_at <= timezone.now():
        raise JudgingError(
            _("The round's closing time has passed; set a later one first."), field="closes_at"
        )
    previous = round.status
    round.status = RoundStatus.OPEN
    round.save(update_fields=["status"])
    audit_log(actor=actor, action="judging.round_opened", target=round, data={"from": previous})
    queue_notices_send(round=round)
    return round


@transaction.atomic
def round_close(*, round: JudgingRound, actor) -> JudgingRound:
    """Ends reviewing in an open round (judging.rules.round_is_open reads the status).
    Organisers of the event only. Side effects: the status, an audit entry."""
    round = (
        JudgingRound.objects.select_for_update(of=("self",))
        .select_related("event")
        .get(pk=round.pk)
    )
    _require_organiser(actor, round.event)
    if round.status != RoundStatus.OPEN:
        raise JudgingError(_("Only an open round can be closed."), conflict=True)
    round.status = RoundStatus.CLOSED
    round.save(update_fields=["status"])
    audit_log(actor=actor, action="judging.round_closed", target=round, data={})
    return round
