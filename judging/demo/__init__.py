"""Demo judging: a finished pre-screening in the finished edition, an open one in the
running edition, and a juror login (juror@example.org) to score with.

The finished edition gets its projects first (judging.demo.past_edition). Its
pre-screening round goes through the judging services as organisers and jurors would use
them: the round with the five default criteria, a juror pool, the assignment run, the
reviews (most submitted, a few left open), then closed, shortlisted and published, its
teams told; then dated back to spring 2021. In the running edition a round is open with
juror@example.org in its pool and a queue to score.

Judging rows are made once: a step whose work is there already (the round, a juror, a
finished run, a review) is skipped, so the seed can run again without moving anything
a juror or organiser did in the demo meanwhile. The running round's times follow
`context.now`, like the running edition.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import translation

from accounts.models import User
from challenges.models import Topic
from judging.demo.past_edition import (
    PAST_CLOSES_AT,
    PAST_OPENS_AT,
    PAST_PROJECTS,
    PAST_PUBLISHED_AT,
    seed_past_projects,
)
from judging.enums import ReviewStatus, RoundStatus, RunStatus
from judging.models import Assignment, AssignmentRun, JudgingRound, Juror, Review
from judging.notification_kinds import JUDGING_OUTCOME
from judging.services import conflict_declare, juror_add, round_create, round_update
from judging.services.results import outcomes_notify, round_publish, shortlist_top
from judging.services.reviews import review_save
from judging.services.rounds import round_close, round_open
from judging.services.runs import assignment_run_execute, assignment_run_start
from notifications.enums import EmailStatus
from notifications.models import Notification

__all__ = ["JUROR", "PAST_PROJECTS", "ROUND_NAME", "seed"]

ROUND_NAME = "Vorauswahl"  # the pre-screening, as organisers of both editions call it
PAST_REVIEWS_PER_PROJECT = 3
PAST_SHORTLIST = 3  # the top three go on to the implementation programme
CURRENT_REVIEWS_PER_PROJECT = 2
# Of the finished round's reviews, every tenth stays unsubmitted (half of those a draft),
# so its results show projects flagged for having fewer than k reviews.
UNSUBMITTED_EVERY = 10

CHALLENGE_OWNER_EMAIL = "pate@example.org"  # the challenges' demo Pat:in, a juror here too
JUROR = ("juror@example.org", "Dr. Jana Krüger (Jurorin)")
# Experts of the finished edition's pool (not printed: juror@example.org is the login to
# try): e-mail, name, topic slugs of their expertise.
EXPERTS = [
    ("jury.verwaltung@example.org", "Prof. Dr. Tobias Lang", ["verwaltung"]),
    ("jury.bildung@example.org", "Miriam Okafor", ["bildung"]),
    ("jury.klima@example.org", "Dr. Ole Petersen", ["klima"]),
    ("jury.zusammenhalt@example.org", "Selin Demir", ["zusammenhalt"]),
    ("jury.digital@example.org", "Kai Brandt", ["verwaltung", "klima"]),
]
# A declared conflict the assignment respects: this expert advised the city of Kiel.
DECLARED_CONFLICT = ("jury.klima@example.org", "Stadt Kiel")


def seed_jurors(*, context) -> dict:
    """The juror login and the experts, each a demo person with the demo password."""
    people = {JUROR[0]: context.person(email=JUROR[0], display_name=JUROR[1], login_role="Juror")}
    for email, name, _topics in EXPERTS:
        people[email] = context.person(email=email, display_name=name)
    return people


def _round(*, event, actor, **fields) -> JudgingRound:
    """The event's demo round, made with the five default criteria (in German, the
    demo's language) if it is not there yet."""
    round = JudgingRound.objects.filter(event=event, name=ROUND_NAME).first()
    if round is not None:
        return round
    with translation.override("de"):
        return round_create(event=event, actor=actor, name=ROUND_NAME, **fields)


def _pool(*, round, actor, users, expertise: dict[int, list[Topic]]) -> list[Juror]:
    """Puts each person in the round's pool once (with their expertise)."""
    existing = {juror.user_id: juror for juror in Juror.objects.filter(round=round)}
    jurors = []
    for user in users:
        juror = existing.get(user.pk) or juror_add(
            round=round, actor=actor, user=user, expertise=expertise.get(user.pk, [])
        )
        jurors.append(juror)
    return jurors


def _assign(*, round: JudgingRound, actor) -> None:
    """The assignment run an organiser starts, carried out here rather than by a
    worker (the task enqueued on commit then finds it done), unless one is done already."""
    if AssignmentRun.objects.filter(round=round, status=RunStatus.DONE).exists():
        return
    run = assignment_run_start(round=round, actor=actor)
    status = assignment_run_execute(run_id=run.pk)
    if status != RunStatus.DONE:
        run.refresh_from_db()
        raise RuntimeError(f"The demo round {round} could not be assigned: {run.reasons}")


def _score(*, project_index: int, juror_index: int, criterion_index: int) -> int:
    """A believable score: each project has a quality, each juror a leniency (so the
    normalised ranking differs a little from the plain mean), the criteria some spread."""
    quality = 2.0 + (project_index * 7 % 10) / 4  # 2.0 … 4.25
    leniency = (juror_index % 5 - 2) * 0.4  # harsh … lenient
    wiggle = ((project_index * 3 + juror_index * 5 + criterion_index * 2) % 3 - 1) * 0.5
    return max(1, min(5, round(quality + leniency + wiggle)))


FEEDBACK = [
    "Klare Problembeschreibung; zeigt noch, wer den Betrieb nach dem Hackathon übernimmt.",
    "Eine starke Idee. Ein kurzes Video würde den Ablauf viel verständlicher machen.",
    "Sprecht früh mit der Verwaltung, die es nutzen soll: das überzeugt jede Jury.",
    "Gut umgesetzt für 48 Stunden. Die nächsten Schritte dürfen konkreter werden.",
]


def _review(
    *, round: JudgingRound, only=None, leave_open: bool = False, drafts_only: bool = False
) -> None:
    """Reviews the round's assignments that have none yet, through review_save as each
    juror: submitted, except (with leave_open) every UNSUBMITTED_EVERY-th, left as a
    draft or not started; with drafts_only, one draft per juror."""
    criteria = list(round.criteria.order_by("position", "pk"))
    assignments = (
        Assignment.objects.filter(round=round)
        .select_related("juror__user", "project")
        .order_by("project_id", "juror_id")
    )
    if only is not None:
        assignments = assignments.filter(juror__user__in=only)
    project_order = {pk: i for i, pk in enumerate(sorted({a.project_id for a in assignments}))}
    juror_order = {
        pk: i for i, pk in enumerate(round.jurors.order_by("pk").values_list("pk", flat=True))
    }
    reviewed = set(
        Review.objects.filter(assignment__round=round).values_list("assignment_id", flat=True)
    )
    # Jurors with a review already (with drafts_only: their one draft is there).
    drafted = set(
        Review.objects.filter(assignment__round=round).values_list(
            "assignment__juror_id", flat=True
        )
    )
    for index, assignment in enumerate(assignments):
        if assignment.pk in reviewed:
            continue
        submit = not drafts_only
        if leave_open and index % UNSUBMITTED_EVERY == UNSUBMITTED_EVERY // 2:
            if index % (2 * UNSUBMITTED_EVERY) >= UNSUBMITTED_EVERY:
                continue  # not started
            submit = False
        if drafts_only:
            if assignment.juror_id in drafted:
                continue
            drafted.add(assignment.juror_id)
        p, j = project_order[assignment.project_id], juror_order[assignment.juror_id]
        scores = {
            criterion.pk: _score(project_index=p, juror_index=j, criterion_index=c)
            for c, criterion in enumerate(criteria)
        }
        if not submit:  # a draft: half of the criteria scored
            scores = {pk: value for c, (pk, value) in enumerate(scores.items()) if c % 2 == 0}
        review_save(
            assignment=assignment,
            actor=assignment.juror.user,
            scores=scores,
            comment_for_organisers="",
            feedback_for_team=FEEDBACK[(p + j) % len(FEEDBACK)] if submit else "",
            submit=submit,
        )


def _date_back(*, round: JudgingRound) -> None:
    """Places the finished round's work in spring 2021, where the edition is: the run
    the morning it opened, the reviews over its two weeks, the results when the edition's
    results phase began."""
    AssignmentRun.objects.filter(round=round).update(
        created_at=PAST_OPENS_AT, started_at=PAST_OPENS_AT, finished_at=PAST_OPENS_AT
    )
    Assignment.objects.filter(round=round).update(created_at=PAST_OPENS_AT)
    span = (PAST_CLOSES_AT - PAST_OPENS_AT).total_seconds()
    reviews = list(Review.objects.filter(assignment__round=round).order_by("pk"))
    for index, review in enumerate(reviews):
        moment = PAST_OPENS_AT + timedelta(seconds=span * (index + 1) / (len(reviews) + 1))
        Review.objects.filter(pk=review.pk).update(
            updated_at=moment, submitted_at=moment if review.submitted_at else None
        )
    JudgingRound.objects.filter(pk=round.pk).update(published_at=PAST_PUBLISHED_AT)


def seed_past_round(*, context, jurors: dict) -> JudgingRound | None:
    """The finished edition's pre-screening: pool, assignment, reviews, results."""
    event = context.events["past"]
    organiser = context.users.get("organiser")
    if organiser is None:
        return None
    round = _round(event=event, actor=organiser, reviews_per_project=PAST_REVIEWS_PER_PROJECT)
    topics = {topic.slug: topic for topic in Topic.objects.filter(event=event)}
    users = [jurors[JUROR[0]], *(jurors[email] for email, _name, _slugs in EXPERTS)]
    users += [
        user
        for user in (
            (context.extra.get("participants") or {}).get("mentor"),
            User.objects.filter(email__iexact=CHALLENGE_OWNER_EMAIL).first(),
        )
        if user is not None
    ]
    expertise = {
        jurors[email].pk: [topics[slug] for slug in slugs if slug in topics]
        for email, _name, slugs in EXPERTS
    }
    expertise[jurors[JUROR[0]].pk] = [topics["verwaltung"]] if "verwaltung" in topics else []
    pool = _pool(round=round, actor=organiser, users=users, expertise=expertise)
    email, organisation = DECLARED_CONFLICT
    declaring = next(juror for juror in pool if juror.user_id == jurors[email].pk)
    if organisation not in declaring.organisation_names:
        conflict_declare(juror=declaring, actor=jurors[email], organisations=[organisation])
    # Judged as organisers and jurors would, then dated back to 2021: the round opens
    # (a closing time in the past would be refused), is assigned, reviewed, closed,
    # shortlisted and published, and its teams are told.
    if round.status == RoundStatus.DRAFT:
        round = round_update(round=round, actor=organiser, data={"closes_at": None})
        round = round_open(round=round, actor=organiser)
    if round.status == RoundStatus.OPEN:
        _assign(round=round, actor=organiser)
        _review(round=round, leave_open=True)
        round = round_close(round=round, actor=organiser)
    if round.status == RoundStatus.CLOSED:
        if not round.shortlist.exists():
            shortlist_top(round=round, actor=organiser, n=PAST_SHORTLIST)
        round = round_publish(round=round, actor=organiser)
        # Told now, inside the seed (the task enqueued on commit then finds nobody left).
        outcomes_notify(round_id=round.pk)
        _date_back(round=round)
    if round.opens_at != PAST_OPENS_AT or round.closes_at != PAST_CLOSES_AT:
        # Dated back like the rest (round_update changes a published round no more).
        JudgingRound.objects.filter(pk=round.pk).update(
            opens_at=PAST_OPENS_AT, closes_at=PAST_CLOSES_AT
        )
        round.refresh_from_db()
    reviews = Review.objects.filter(assignment__round=round)
    context.log(
        f"{event.name}: round “{round.name}” ({round.get_status_display()}), "
        f"{len(pool)} jurors, {round.assignments.count()} assignments, "
        f"{reviews.filter(status=ReviewStatus.SUBMITTED).count()} reviews submitted, "
        f"{round.shortlist.count()} shortlisted"
    )
    return round


def seed_current_round(*, context, jurors: dict) -> JudgingRound | None:
    """The running edition's round, open now, with juror@example.org in its pool."""
    event = context.events["current"]
    organiser = context.users.get("organiser")
    if organiser is None:
        return None
    opens_at = context.now.replace(second=0, microsecond=0) - timedelta(hours=1)
    closes_at = opens_at + timedelta(days=9)
    round = _round(
        event=event,
        actor=organiser,
        reviews_per_project=CURRENT_REVIEWS_PER_PROJECT,
        opens_at=opens_at,
        closes_at=closes_at,
    )
    round = round_update(
        round=round, actor=organiser, data={"opens_at": opens_at, "closes_at": closes_at}
    )
    topics = {topic.slug: topic for topic in Topic.objects.filter(event=event)}
    mentor = (context.extra.get("participants") or {}).get("mentor")
    users = [jurors[JUROR[0]], jurors[EXPERTS[0][0]], *([mentor] if mentor else [])]
    expertise = {
        jurors[JUROR[0]].pk: [
            topics[slug] for slug in ("gesundheit", "verwaltung") if slug in topics
        ]
    }
    pool = _pool(round=round, actor=organiser, users=users, expertise=expertise)
    if round.status == RoundStatus.DRAFT:
        round = round_open(round=round, actor=organiser)
    if round.status == RoundStatus.OPEN:
        _assign(round=round, actor=organiser)
        # The expert has submitted, the mentor started; juror@example.org's queue is open.
        _review(round=round, only=[jurors[EXPERTS[0][0]]], leave_open=False)
        if mentor is not None:
            _review(round=round, only=[mentor], drafts_only=True)
    queue = Assignment.objects.filter(round=round, juror__user=jurors[JUROR[0]])
    context.log(
        f"{event.name}: round “{round.name}” ({round.get_status_display()}), "
        f"{len(pool)} jurors, {queue.count()} projects in the queue of {JUROR[0]}"
    )
    return round


def _newest_notification() -> int:
    return Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def seed(*, context) -> None:
    if "past" not in context.events or "current" not in context.events:
        context.log("no demo editions: no judging")
        return
    jurors = seed_jurors(context=context)
    seed_past_projects(context=context)
    newest = _newest_notification()
    past = seed_past_round(context=context, jurors=jurors)
    # What the finished round told its jurors and teams was news in 2021, long read.
    told_in_2021 = Notification.objects.filter(pk__gt=newest, pk__lte=_newest_notification())
    told_in_2021.filter(kind=JUDGING_OUTCOME.key).update(
        created_at=PAST_PUBLISHED_AT, read_at=PAST_PUBLISHED_AT + timedelta(days=1)
    )
    told_in_2021.exclude(kind=JUDGING_OUTCOME.key).update(
        created_at=PAST_OPENS_AT, read_at=PAST_OPENS_AT + timedelta(hours=2)
    )
    rounds = {"past": past, "current": seed_current_round(context=context, jurors=jurors)}
    # The services told jurors of their queues and teams of their outcomes: the
    # notifications stay (in-app, to see in the demo) but a seed sends no mail.
    Notification.objects.filter(pk__gt=newest, email_status=EmailStatus.PENDING).update(
        email_status=EmailStatus.SKIPPED
    )
    context.extra["judging"] = {"rounds": rounds, "juror": jurors[JUROR[0]]}
