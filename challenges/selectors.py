"""Reads of challenges. Full-text search and similarity use PostgreSQL where it runs,
with plain fallbacks on SQLite so the embedded demo still searches sensibly.

On PostgreSQL each challenge carries a weighted German `search_document` (title A,
problem B, the rest C), maintained by a trigger, GIN-indexed and used for ranking."""

from __future__ import annotations

import re

from django.conf import settings
from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from challenges import rules
from challenges.enums import ChallengeStatus
from challenges.fields import CONTENT_FIELDS, GIVER_FIELDS
from challenges.models import Challenge, ChallengeOwner, ChallengeQuestion, Topic
from events.models import Event
from events.rules import can_view_event
from events.selectors import events_visible_to
from hackathon.pagecache import cached_value

# What the catalogue's query leaves out: texts a card does not show, or reads on its own.
CARD_DEFERRED_FIELDS = (
    "problem",
    "affected",
    "desired_outcome",
    "rejection_reason",
    "search_document",
)
SORTS = {
    "newest": ("-published_at", "-pk"),
    "supported": ("-support_count", "-published_at", "-pk"),
}
_WORD = re.compile(r"\w+", re.UNICODE)
# Crude German suffix stripping for the SQLite fallback: "Schulen" → "schul".
_SUFFIXES = ("ungen", "ung", "en", "er", "es", "e", "n", "s")


def _stem(word: str) -> str:
    word = word.lower()
    for suffix in _SUFFIXES:
        if len(word) - len(suffix) >= 4 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def challenges_search(queryset: QuerySet[Challenge], text: str) -> QuerySet[Challenge]:
    """Ranked German full-text search on PostgreSQL; word-stem containment elsewhere."""
    text = (text or "").strip()[:200]
    if not text:
        return queryset
    if settings.USING_POSTGRES:
        from django.contrib.postgres.search import SearchQuery, SearchRank

        query = SearchQuery(text, config="german", search_type="websearch")
        return (
            queryset.filter(search_document=query)
            .annotate(rank=SearchRank(F("search_document"), query))
            .order_by("-rank", "-pk")
        )
    for word in _WORD.findall(text)[:10]:
        stem = _stem(word)
        queryset = queryset.filter(
            Q(title__icontains=stem)
            | Q(problem__icontains=stem)
            | Q(affected__icontains=stem)
            | Q(desired_outcome__icontains=stem)
        )
    return queryset


def challenges_published(
    *,
    event: Event | None = None,
    search: str = "",
    topic: str = "",
    giver_type: str = "",
    state: str = "",
    sort: str = "",
) -> QuerySet[Challenge]:
    """The public catalogue, filtered; a fixed number of queries however many rows.

    `sort` is a key of SORTS; empty means best match first when searching, else newest.
    """
    challenges = Challenge.objects.filter(status=ChallengeStatus.PUBLISHED)
    if event is not None:
        challenges = challenges.filter(event=event)
    else:
        challenges = challenges.filter(event__is_public=True)
    if topic:
        challenges = challenges.filter(topic__slug=topic)
    if giver_type:
        challenges = challenges.filter(giver_type=giver_type)
    if state:
        challenges = challenges.filter(state=state)
    # The long texts are read only for the cards to render (challenge_cards).
    challenges = (
        challenges.select_related("topic", "event")
        .defer(*CARD_DEFERRED_FIELDS, "topic__description")
        .prefetch_related("tags")
    )
    if search:
        challenges = challenges_search(challenges, search)
        if sort in SORTS:
            return challenges.order_by(*SORTS[sort])
        # Best match first: the rank where PostgreSQL computes one, else newest.
        return challenges if settings.USING_POSTGRES else challenges.order_by(*SORTS["newest"])
    return challenges.order_by(*SORTS.get(sort, SORTS["newest"]))


def challenge_cards(challenges: list[Challenge]) -> list[Challenge]:
    """Loads what a catalogue card shows onto challenges of `challenges_published` fetched
    without their tags: the tags and the problem statement (the card's first 40 words)."""
    from django.db.models import prefetch_related_objects

    problems = dict(
        Challenge.objects.filter(pk__in=[c.pk for c in challenges]).values_list("pk", "problem")
    )
    for challenge in challenges:
        challenge.problem = problems[challenge.pk]
    prefetch_related_objects(challenges, "tags")
    return challenges


def challenges_for_api(*, user, params) -> QuerySet[Challenge]:
    """Published challenges for everyone; a signed-in person also sees their own; organisers all."""
    challenges = Challenge.objects.filter(event__in=events_visible_to(user=user))
    if not rules.is_organiser(user):
        visible = Q(status=ChallengeStatus.PUBLISHED)
        if user.is_authenticated:
            visible |= Q(submitted_by=user)
        challenges = challenges.filter(visible)
    if params.get("event"):
        challenges = challenges.filter(event__slug=params["event"])
    if params.get("topic"):
        challenges = challenges.filter(topic__slug=params["topic"])
    if params.get("giver_type"):
        challenges = challenges.filter(giver_type=params["giver_type"])
    if params.get("state"):
        challenges = challenges.filter(status=params["state"])
    if params.get("bundesland"):
        challenges = challenges.filter(state=params["bundesland"])
    challenges = challenges.select_related("topic", "event", "merged_into").prefetch_related("tags")
    if params.get("search"):
        return challenges_search(challenges, params["search"])
    return challenges.order_by("-pk")


def challenge_keys_for_api(*, user, params) -> QuerySet[Challenge]:
    """challenges_for_api, in its order, with only the keys: the API's list serializer
    (ChallengeListSerializer) loads what a page shows by them (challenges_listed)."""
    challenges = challenges_for_api(user=user, params=params)
    return challenges.select_related(None).prefetch_related(None).only("pk")


def events_all() -> QuerySet[Event]:
    """Every event: the API resolves a challenge's `event` slug among them, and creating a
    challenge then refuses one the person may not see (event_visible) with its own message."""
    return Event.objects.all()


def event_visible(*, event: Event, user) -> bool:
    """Whether this person may see the event, as events.selectors.event_for_user decides
    for the web's intake."""
    return events_visible_to(user=user).filter(pk=event.pk).exists()


def topics_all() -> QuerySet[Topic]:
    """Every topic field. The API reads a topic field's slug with it (the schema's type);
    the slug is looked up within the challenge's event (topic_in_event)."""
    return Topic.objects.all()


def topic_in_event(*, event: Event | None, slug: str) -> Topic | None:
    """The event's topic field with this slug, or None: slugs repeat across events."""
    return Topic.objects.filter(event=event, slug=slug).first()


def topics_for_api(*, user, event_slug: str = "") -> QuerySet[Topic]:
    """The topic fields of the events this person may see (of one event, by its slug), each
    with its number of published challenges as `published_count`."""
    topics = Topic.objects.filter(event__in=events_visible_to(user=user)).select_related("event")
    if event_slug:
        topics = topics.filter(event__slug=event_slug)
    return topics.annotate(
        published_count=Count("challenges", filter=Q(challenges__status=ChallengeStatus.PUBLISHED))
    ).order_by("event_id", "position", "name")


def topics_with_counts(*, event: Event) -> list[Topic]:
    """The event's topic fields with their number of published challenges (as
    `published_count`); counted once and kept in the cache until a challenge changes."""

    def count() -> list[Topic]:
        published = Q(challenges__status=ChallengeStatus.PUBLISHED)
        return list(
            Topic.objects.filter(event=event).annotate(
                published_count=Count("challenges", filter=published)
            )
        )

    return cached_value(f"topic-counts:{event.pk}", scopes=("challenges",), compute=count)


def topic_choices(*, event: Event) -> list[tuple[str, str]]:
    """(slug, name) of the event's topic fields, for filter forms; kept in the cache."""
    return cached_value(
        f"topic-choices:{event.pk}",
        scopes=("challenges",),
        compute=lambda: list(Topic.objects.filter(event=event).values_list("slug", "name")),
    )


def challenge_for_user(*, number: int, user) -> Challenge:
    """The challenge if this person may see it (merged ones too, to redirect); 404 otherwise."""
    challenge = get_object_or_404(
        Challenge.objects.select_related("event", "topic", "merged_into").prefetch_related(
            "tags",
            Prefetch("ownerships", queryset=ChallengeOwner.objects.select_related("user")),
        ),
        number=number,
    )
    if not can_view_event(user, challenge.event):
        raise Http404
    if challenge.status == ChallengeStatus.MERGED:
        return challenge
    if not rules.can_view_challenge(user, challenge):
        raise Http404
    return challenge


def questions_visible(*, challenge: Challenge) -> QuerySet[ChallengeQuestion]:
    """The questions everyone sees (not hidden), oldest first, with who asked and answered."""
    return challenge.questions.filter(is_hidden=False).select_related("asked_by", "answered_by")


def question_for_user(*, pk: int, user) -> ChallengeQuestion:
    """A question on a challenge this person may see; 404 otherwise (and for hidden ones,
    except for organisers)."""
    question = get_object_or_404(
        ChallengeQuestion.objects.select_related("challenge__event", "asked_by").prefetch_related(
            "challenge__ownerships"
        ),
        pk=pk,
    )
    challenge = question.challenge
    if not (can_view_event(user, challenge.event) and rules.can_view_challenge(user, challenge)):
        raise Http404
    if question.is_hidden and not rules.is_organiser(user):
        raise Http404
    return question


def challenges_owned_by(*, user) -> QuerySet[Challenge]:
    """The challenges this person looks after as owner, with their unanswered questions."""
    return (
        Challenge.objects.filter(ownerships__user=user, status=ChallengeStatus.PUBLISHED)
        .select_related("event")
        .annotate(
            open_questions=Count(
                "questions",
                filter=Q(questions__answered_at__isnull=True, questions__is_hidden=False),
            )
        )
        .order_by("-open_questions", "-pk")
    )


def challenges_of_giver(*, user) -> QuerySet[Challenge]:
    return Challenge.objects.filter(submitted_by=user).select_related(
        "event", "topic", "merged_into"
    )


def challenges_similar(*, challenge: Challenge, limit: int = 5) -> list[Challenge]:
    """The challenges of the same event whose text is most alike: likely duplicates."""
    candidates = (
        Challenge.objects.filter(event_id=challenge.event_id)
        .exclude(pk=challenge.pk)
        .exclude(status__in=[ChallengeStatus.MERGED, ChallengeStatus.DRAFT])
    )
    if settings.USING_POSTGRES:
        from django.contrib.postgres.search import TrigramSimilarity

        return list(
            candidates.annotate(
                similarity=TrigramSimilarity("title", challenge.title) * 0.6
                + TrigramSimilarity("problem", challenge.problem[:2000]) * 0.4
            )
            .filter(similarity__gte=0.12)
            .order_by("-similarity", "-pk")[:limit]
        )
    words = _words(challenge)
    scored = []
    for other in candidates.only("pk", "number", "title", "problem", "status", "event_id"):
        other_words = _words(other)
        union = words | other_words
        if not union:
            continue
        similarity = len(words & other_words) / len(union)
        if similarity >= 0.12:
            other.similarity = similarity
            scored.append(other)
    scored.sort(key=lambda c: (-c.similarity, -c.pk))
    return scored[:limit]


def _words(challenge: Challenge) -> set[str]:
    return {_stem(w) for w in _WORD.findall(f"{challenge.title} {challenge.problem}") if len(w) > 3}


# The columns of the API's challenge list (ChallengeListSerializer), with these relations':
# what a giver writes (challenges.fields) but the topic field, which is listed by its slug;
# what organisers and the services set; and the relations by what the list shows of them.
_LISTED_WRITTEN = (*(name for name in CONTENT_FIELDS if name != "topic"), *GIVER_FIELDS)
_LISTED_SET = ("rejection_reason", "support_count", "created_at", "published_at")
_LISTED_RELATIONS = ("submitted_by_id", "event__slug", "topic__slug", "merged_into__number")
LISTED_FIELDS = ("id", "number", "status", *_LISTED_WRITTEN, *_LISTED_SET, *_LISTED_RELATIONS)


def challenges_listed(*, ids: list[int]) -> dict[int, dict]:
    """What a page of the API's challenge list shows, as plain values in two queries: each
    challenge's LISTED_FIELDS and its `tags` (names, by name, as `challenge.tags.all()`
    gives them). No model instances: 50 challenges cost a few milliseconds."""
    rows = {
        row["id"]: {**row, "tags": []}
        for row in Challenge.objects.filter(pk__in=ids).values(*LISTED_FIELDS)
    }
    tags = Challenge.tags.through.objects.filter(challenge_id__in=ids).order_by("tag__name")
    for challenge_id, name in tags.values_list("challenge_id", "tag__name"):
        rows[challenge_id]["tags"].append(name)
    return rows
