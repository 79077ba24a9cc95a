"""A round's results: each project's weighted mean, its normalised score, the jurors'
agreement, and its rank overall, in its topic field and in its category.

The arithmetic is in pure functions (review_score, juror_z_scores, normalised_scores,
shared_ranks), tested without the database; round_results() reads a round's submitted
reviews in a constant number of queries and hands them to them.

- A review's score is the weighted mean of its criteria: Σ weight·value / Σ weight.
- A project's mean is the plain mean of its submitted reviews' scores.
- Its normalised score removes each juror's leniency: every review score becomes a
  z-score among the scores that juror gave in the round, the project's mean z-score is
  mapped back onto the scale (overall mean + z · overall standard deviation, over all
  review scores of the round), clipped to the scale's lowest and highest score.
- Standard deviations are population ones (divided by n, not n − 1).
- Ranks are competition ranks on the normalised score rounded to two decimals: equal
  scores share a rank and the next rank skips ("1, 2, 2, 4"). A project without a
  submitted review has no score and no rank.

What a project is called and in which category it is ranked come from the version the
jurors judged (Assignment.version, its snapshot's "title" and "category"), never from the
living page, which a team may change after the deadline: on the organisers' pages, in the
CSV files and on the public results page alike (see judged_versions). The topic field is
the team's challenge's topic, as before: a snapshot holds none. The team's name and the
link go to the living team and project.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from statistics import fmean, pstdev

from django.db.models import QuerySet
from django.db.models.fields.json import KeyTextTransform
from django.utils.crypto import salted_hmac

from judging.enums import ReviewStatus, RoundStatus
from judging.models import Assignment, Criterion, JudgingRound, Review, Score, ShortlistEntry
from projects.enums import ProjectCategory
from projects.models import Project
from teams.rules import is_team_member

RANK_DECIMALS = 2  # scores equal to two decimals are a tie

# What a team is told of a published round (judging.services.results.outcomes_notify):
# its shortlisted project goes on when the event has a later round, and is a winner in
# the event's last round; every other judged project is not selected.
OUTCOME_WINNER = "winner"
OUTCOME_SHORTLISTED = "shortlisted"
OUTCOME_NOT_SELECTED = "not_selected"


# --- pure functions -----------------------------------------------------------------------------


def review_score(values: Mapping[int, int], weights: Mapping[int, int]) -> float | None:
    """The weighted mean of one review's values ({criterion id: value}) with the
    criteria's weights ({criterion id: weight}); criteria the review has no value for do
    not count. None when it has none."""
    total = sum(weights[criterion] for criterion in values)
    if not total:
        return None
    return sum(weights[criterion] * value for criterion, value in values.items()) / total


def juror_z_scores(scores: Iterable[tuple[Hashable, Hashable, float]]) -> dict[Hashable, float]:
    """{review: z} from (review, juror, score) triples: each score's distance from that
    juror's mean score in standard deviations of that juror's scores.

    A juror with a single review, or who gave every project the same score, tells us
    nothing about their leniency: their reviews get z = 0 (the round's mean once mapped
    back), not a division by zero.
    """
    by_juror: dict[Hashable, list[tuple[Hashable, float]]] = defaultdict(list)
    for review, juror, score in scores:
        by_juror[juror].append((review, score))
    z: dict[Hashable, float] = {}
    for reviews in by_juror.values():
        values = [score for _, score in reviews]
        mean = fmean(values)
        std = pstdev(values) if len(values) > 1 else 0.0
        for review, score in reviews:
            z[review] = (score - mean) / std if std > 0 else 0.0
    return z


def normalised_scores(
    scores: Sequence[tuple[Hashable, Hashable, Hashable, float]],
    *,
    scale_min: float,
    scale_max: float,
) -> dict[Hashable, float]:
    """{project: normalised score} from (review, juror, project, score) tuples.

    The project's mean z-score (juror_z_scores) mapped back onto the scale: the mean of
    all review scores plus z times their standard deviation, clipped to scale_min and
    scale_max.
    """
    if not scores:
        return {}
    z = juror_z_scores((review, juror, score) for review, juror, _, score in scores)
    all_scores = [score for *_, score in scores]
    mean = fmean(all_scores)
    std = pstdev(all_scores)
    by_project: dict[Hashable, list[float]] = defaultdict(list)
    for review, _, project, _ in scores:
        by_project[project].append(z[review])
    return {
        project: min(scale_max, max(scale_min, mean + fmean(zs) * std))
        for project, zs in by_project.items()
    }


def shared_ranks(values: Sequence[float | None]) -> list[int | None]:
    """Competition ranks, highest first, of values rounded to RANK_DECIMALS: equal values
    share a rank and the next one skips it ([4, 3, 3, 2] → [1, 2, 2, 4]). None stays
    unranked."""
    rounded = [None if value is None else round(value, RANK_DECIMALS) for value in values]
    ordered = sorted((value for value in rounded if value is not None), reverse=True)
    first_at: dict[float, int] = {}
    for position, value in enumerate(ordered, start=1):
        first_at.setdefault(value, position)
    return [None if value is None else first_at[value] for value in rounded]


def spread(scores: Sequence[float]) -> tuple[float | None, float | None]:
    """(max − min, population standard deviation) of a project's review scores."""
    if not scores:
        return None, None
    return max(scores) - min(scores), pstdev(scores)


# --- the round's results ------------------------------------------------------------------------


@dataclass(frozen=True)
class JudgedVersion:
    """What the judged version's snapshot says of a project: its version number, title
    and category."""

    number: int | None
    title: str
    category: str

    @property
    def category_label(self) -> str:
        return _category_label(self.category)


def _category_label(category: str) -> str:
    if category in ProjectCategory.values:
        return str(ProjectCategory(category).label)
    return category


def judged_versions(assignments: QuerySet[Assignment]) -> dict[tuple[int, int], JudgedVersion]:
    """{(round id, project id): JudgedVersion} for the given assignments, in one query
    that reads only the snapshots' title and category (not their texts and images).

    A project's assignments in a round normally share its one submitted version; should
    they not (an assignment run before an extended deadline), the newest of them counts.
    A snapshot without a "title" or "category" key (none written by
    projects.selectors.project_snapshot lacks them) falls back to the living project's.
    """
    rows = (
        assignments.values_list(
            "round_id",
            "project_id",
            "version__number",
            KeyTextTransform("title", "version__snapshot"),
            KeyTextTransform("category", "version__snapshot"),
            "project__title",
            "project__category",
        )
        .order_by()
        .distinct()
    )
    judged: dict[tuple[int, int], JudgedVersion] = {}
    for round_id, project_id, number, title, category, living_title, living_category in rows:
        known = judged.get((round_id, project_id))
        if known is not None and (known.number or 0) >= (number or 0):
            continue
        judged[(round_id, project_id)] = JudgedVersion(
            number=number,
            title=living_title if title is None else title,
            category=living_category if category is None else category,
        )
    return judged


@dataclass
class ProjectResult:
    project: Project
    title: str  # the judged version's (judged_versions)
    version: int | None
    mean: float | None
    normalised: float | None
    reviews: int
    flagged: bool  # fewer submitted reviews than the round asks for
    spread: float | None
    std: float | None
    topic_id: int | None
    topic_name: str
    category: str
    shortlisted: bool
    rank: int | None = None
    topic_rank: int | None = None
    category_rank: int | None = None

    @property
    def category_label(self) -> str:
        return _category_label(self.category)


@dataclass
class Group:
    """The results of one topic field or one category, ranked within it."""

    key: object
    label: str
    rows: list[ProjectResult] = field(default_factory=list)


@dataclass
class RoundResults:
    round: JudgingRound
    k: int
    scale_min: float
    scale_max: float
    rows: list[ProjectResult]  # ranked overall, unranked last
    by_topic: list[Group]
    by_category: list[Group]

    @property
    def shortlisted(self) -> list[ProjectResult]:
        return [row for row in self.rows if row.shortlisted]

    @property
    def flagged_count(self) -> int:
        return sum(row.flagged for row in self.rows)


def _rank_key(row: ProjectResult):
    return (
        row.normalised is None,
        -(row.normalised or 0),
        row.title.casefold(),
        row.project.pk,
    )


def _group_order(group: Group):
    # Named groups first, alphabetically; "no topic field" and "no category" last.
    return (group.key in (None, ""), group.label.casefold())


def _rank_within(rows: list[ProjectResult], attribute: str) -> None:
    for row, rank in zip(rows, shared_ranks([row.normalised for row in rows]), strict=True):
        setattr(row, attribute, rank)


def round_results(*, round: JudgingRound) -> RoundResults:
    """Every project assigned in the round with its figures and ranks; five queries
    whatever the number of projects and reviews (criteria, submitted scores, projects,
    the judged versions' titles and categories, shortlist). Only submitted reviews count.
    Titles and categories are the judged version's (judged_versions): the ranking per
    category groups projects by the category they were judged in."""
    criteria = list(
        Criterion.objects.filter(round=round).values_list("pk", "weight", "scale_min", "scale_max")
    )
    weights = {pk: weight for pk, weight, _, _ in criteria}
    total_weight = sum(weights.values()) or 1
    # A review's score lies between the criteria's weighted lowest and highest scores.
    scale_min = (
        sum(weight * low for _, weight, low, _ in criteria) / total_weight if criteria else 0
    )
    scale_max = (
        sum(weight * high for _, weight, _, high in criteria) / total_weight if criteria else 0
    )

    values: dict[int, dict[int, int]] = defaultdict(dict)
    owner: dict[int, tuple[int, int]] = {}
    for review_id, juror_id, project_id, criterion_id, value in Score.objects.filter(
        review__assignment__round=round, review__status=ReviewStatus.SUBMITTED
    ).values_list(
        "review_id",
        "review__assignment__juror_id",
        "review__assignment__project_id",
        "criterion_id",
        "value",
    ):
        if criterion_id in weights:
            values[review_id][criterion_id] = value
            owner[review_id] = (juror_id, project_id)
    scores = []
    for review_id, review_values in values.items():
        score = review_score(review_values, weights)
        if score is not None:
            juror_id, project_id = owner[review_id]
            scores.append((review_id, juror_id, project_id, score))
    normalised = normalised_scores(scores, scale_min=scale_min, scale_max=scale_max)
    by_project: dict[int, list[float]] = defaultdict(list)
    for _, _, project_id, score in scores:
        by_project[project_id].append(score)

    projects = Project.objects.filter(
        pk__in=Assignment.objects.filter(round=round).values("project_id")
    ).select_related("team__challenge__topic")
    versions = judged_versions(Assignment.objects.filter(round=round))
    shortlisted = set(
        ShortlistEntry.objects.filter(round=round).values_list("project_id", flat=True)
    )
    k = round.reviews_per_project
    rows = []
    for project in projects:
        project_scores = by_project.get(project.pk, [])
        topic = project.team.challenge.topic
        difference, std = spread(project_scores)
        version = versions.get(
            (round.pk, project.pk), JudgedVersion(None, project.title, project.category)
        )
        rows.append(
            ProjectResult(
                project=project,
                title=version.title,
                version=version.number,
                mean=fmean(project_scores) if project_scores else None,
                normalised=normalised.get(project.pk),
                reviews=len(project_scores),
                flagged=len(project_scores) < k,
                spread=difference,
                std=std,
                topic_id=topic.pk if topic else None,
                topic_name=topic.name if topic else "",
                category=version.category,
                shortlisted=project.pk in shortlisted,
            )
        )
    rows.sort(key=_rank_key)
    _rank_within(rows, "rank")

    topics: dict[int | None, Group] = {}
    categories: dict[str, Group] = {}
    for row in rows:
        topics.setdefault(row.topic_id, Group(key=row.topic_id, label=row.topic_name)).rows.append(
            row
        )
        categories.setdefault(
            row.category, Group(key=row.category, label=row.category_label)
        ).rows.append(row)
    for group in topics.values():
        _rank_within(group.rows, "topic_rank")
    for group in categories.values():
        _rank_within(group.rows, "category_rank")
    return RoundResults(
        round=round,
        k=k,
        scale_min=scale_min,
        scale_max=scale_max,
        rows=rows,
        by_topic=sorted(topics.values(), key=_group_order),
        by_category=sorted(categories.values(), key=_group_order),
    )


# --- reads for the pages ------------------------------------------------------------------------


def project_of_round(*, round: JudgingRound, pk) -> Project:
    """A project assigned in the round (what its organisers shortlist);
    Project.DoesNotExist for any other or a pk that is no number."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Project.DoesNotExist from None
    return Project.objects.get(
        pk=pk, pk__in=Assignment.objects.filter(round=round).values("project_id")
    )


@dataclass
class PublishedProject:
    """A shortlisted project as the public sees it: the judged version's title and
    category, the living project for its link and its team."""

    project: Project
    title: str
    category: str

    @property
    def pk(self) -> int:
        return self.project.pk

    @property
    def category_label(self) -> str:
        return _category_label(self.category)


@dataclass
class PublishedRound:
    round: JudgingRound
    outcome: str  # what its shortlisted projects are: OUTCOME_WINNER or OUTCOME_SHORTLISTED
    by_category: list[Group]  # rows: PublishedProject


def published_results(*, event) -> list[PublishedRound]:
    """The event's published rounds in order, each with its shortlisted projects by the
    category they were judged in, under the judged version's title (judged_versions; no
    scores, no jurors). Three queries, whatever the number of projects."""
    rounds = list(JudgingRound.objects.filter(event=event).order_by("position", "pk"))
    published = [round for round in rounds if round.status == RoundStatus.PUBLISHED]
    if not published:
        return []
    entries = ShortlistEntry.objects.filter(round__in=published).select_related("project__team")
    versions = judged_versions(
        Assignment.objects.filter(
            round__in=published,
            project_id__in=ShortlistEntry.objects.filter(round__in=published).values("project_id"),
        )
    )
    by_round: dict[int, dict[str, Group]] = defaultdict(dict)
    shown = []
    for entry in entries:
        project = entry.project
        version = versions.get(
            (entry.round_id, project.pk), JudgedVersion(None, project.title, project.category)
        )
        shown.append((entry.round_id, PublishedProject(project, version.title, version.category)))
    shown.sort(key=lambda item: (item[1].title.casefold(), item[1].pk))
    for round_id, item in shown:
        by_round[round_id].setdefault(
            item.category, Group(key=item.category, label=item.category_label)
        ).rows.append(item)
    last_position = max(round.position for round in rounds)
    return [
        PublishedRound(
            round=round,
            outcome=OUTCOME_SHORTLISTED if round.position < last_position else OUTCOME_WINNER,
            by_category=sorted(by_round[round.pk].values(), key=_group_order),
        )
        for round in published
    ]


def has_published_results(*, event) -> bool:
    return JudgingRound.objects.filter(event=event, status=RoundStatus.PUBLISHED).exists()


@dataclass
class RoundFeedback:
    round: JudgingRound
    texts: list[str]


def feedback_for_member(*, pk: int, user) -> tuple[Project, list[RoundFeedback]]:
    """A project and the jurors' feedback for its team from every published round that
    judged it, without names; Project.DoesNotExist unless the person is a member of the
    team and such a round exists (a 404 for the views).

    The texts of a round come in an order that looks random but stays the same on every
    visit (a keyed hash of the review), so neither the order of assignment nor of
    submission tells who wrote what.
    """
    project = Project.objects.select_related("team", "event").get(pk=pk)
    if not is_team_member(user, project.team):
        raise Project.DoesNotExist
    rounds = list(
        JudgingRound.objects.filter(
            status=RoundStatus.PUBLISHED,
            pk__in=Assignment.objects.filter(project=project).values("round_id"),
        ).order_by("position", "pk")
    )
    if not rounds:
        raise Project.DoesNotExist
    texts: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for review_id, round_id, text in (
        Review.objects.filter(
            assignment__project=project,
            assignment__round__in=rounds,
            status=ReviewStatus.SUBMITTED,
        )
        .exclude(feedback_for_team="")
        .values_list("pk", "assignment__round_id", "feedback_for_team")
    ):
        key = salted_hmac("judging.feedback", str(review_id)).hexdigest()
        texts[round_id].append((key, text))
    return project, [
        RoundFeedback(round=round, texts=[text for _, text in sorted(texts[round.pk])])
        for round in rounds
    ]


def feedback_available(*, project: Project, user) -> bool:
    """Whether the person is a member of the project's team and a published round judged
    it (the project page links to the feedback then)."""
    if not (user.is_authenticated and is_team_member(user, project.team)):
        return False
    return Assignment.objects.filter(project=project, round__status=RoundStatus.PUBLISHED).exists()


@dataclass
class ReviewRecord:
    """One review of a project for its organisers: who wrote it (organisers know their
    jurors), its weighted score, its values in the order of the round's criteria (None
    where a criterion has none) and both texts."""

    review: Review
    juror_name: str
    score: float | None
    values: list[int | None]
    criteria: list[Criterion]

    @property
    def pairs(self) -> list[tuple[Criterion, int | None]]:
        return list(zip(self.criteria, self.values, strict=True))


def _records(
    reviews: list[Review], criteria: list[Criterion], scores: QuerySet[Score]
) -> list[ReviewRecord]:
    """ReviewRecords of the reviews (their assignment and juror's user loaded), with the
    values read from `scores` in one query."""
    weights = {criterion.pk: criterion.weight for criterion in criteria}
    values: dict[int, dict[int, int]] = defaultdict(dict)
    for review_id, criterion_id, value in scores.values_list("review_id", "criterion_id", "value"):
        if criterion_id in weights:
            values[review_id][criterion_id] = value
    return [
        ReviewRecord(
            review=review,
            juror_name=str(review.assignment.juror.user.public_name),
            score=review_score(values[review.pk], weights),
            values=[values[review.pk].get(criterion.pk) for criterion in criteria],
            criteria=criteria,
        )
        for review in reviews
    ]


@dataclass
class ProjectReviews:
    """A project's reviews in a round, for its organisers."""

    round: JudgingRound
    project: Project
    judged: JudgedVersion
    criteria: list[Criterion]
    reviews: list[ReviewRecord]  # submitted ones only, in the order of submission
    assigned: int  # its assignments in the round (reviewed or not)
    drafts: int  # reviews saved but not submitted: counted, never shown
    k: int

    @property
    def not_started(self) -> int:
        return self.assigned - len(self.reviews) - self.drafts

    @property
    def mean(self) -> float | None:
        scores = [record.score for record in self.reviews if record.score is not None]
        return fmean(scores) if scores else None


def project_reviews(*, round: JudgingRound, project_pk: int) -> ProjectReviews:
    """A project of the round with its submitted reviews as the organisers read them:
    each review's weighted score, its values per criterion, the comment for the
    organisers and the feedback for the team (before and after publishing), and the
    juror's name: organisers know whom they invited, and this is where they find who to
    ask about a comment (jurors and teams never see it). Drafts are counted, not shown:
    the juror has not committed to them. The title and category are the judged
    version's (judged_versions).

    Project.DoesNotExist unless the project was assigned in the round. Five queries,
    whatever the number of reviews and criteria (project, judged version, criteria,
    assignments with their reviews and jurors, scores). The caller checks that the
    person organises the round (judging.selectors.round_for_organiser).
    """
    assignments = Assignment.objects.filter(round=round, project_id=project_pk)
    project = Project.objects.select_related("team", "event").get(
        pk=project_pk, pk__in=assignments.values("project_id")
    )
    judged = judged_versions(assignments).get(
        (round.pk, project.pk), JudgedVersion(None, project.title, project.category)
    )
    criteria = list(Criterion.objects.filter(round=round).order_by("position", "pk"))
    reviews: list[Review] = []
    assigned = drafts = 0
    for assignment in assignments.select_related("juror__user", "review").order_by("pk"):
        assigned += 1
        try:
            review = assignment.review  # loaded with it; none raises without a query
        except Review.DoesNotExist:
            continue
        if review.status == ReviewStatus.SUBMITTED:
            reviews.append(review)
        else:
            drafts += 1
    reviews.sort(key=lambda review: (review.submitted_at, review.pk))
    scores = Score.objects.filter(review__in=[review.pk for review in reviews])
    return ProjectReviews(
        round=round,
        project=project,
        judged=judged,
        criteria=criteria,
        reviews=_records(reviews, criteria, scores),
        assigned=assigned,
        drafts=drafts,
        k=round.reviews_per_project,
    )


@dataclass
class ScoresExport:
    criteria: list[Criterion]
    judged: dict[tuple[int, int], JudgedVersion]
    reviews: list[ReviewRecord]  # by judged title, project, review


def scores_for_export(*, round: JudgingRound) -> ScoresExport:
    """The round's submitted reviews for the organisers' CSV: each once, with project,
    juror, its values per criterion, its weighted score and both texts. Four queries
    (criteria, judged versions, reviews with their projects and jurors, scores)."""
    criteria = list(Criterion.objects.filter(round=round).order_by("position", "pk"))
    judged = judged_versions(Assignment.objects.filter(round=round))
    reviews = list(
        Review.objects.filter(assignment__round=round, status=ReviewStatus.SUBMITTED)
        .select_related("assignment__project__team", "assignment__juror__user")
        .order_by("pk")
    )

    def title(review: Review) -> str:
        found = judged.get((round.pk, review.assignment.project_id))
        return found.title if found else review.assignment.project.title

    reviews.sort(key=lambda review: (title(review).casefold(), review.assignment.project_id))
    scores = Score.objects.filter(
        review__assignment__round=round, review__status=ReviewStatus.SUBMITTED
    )
    return ScoresExport(
        criteria=criteria, judged=judged, reviews=_records(reviews, criteria, scores)
    )
