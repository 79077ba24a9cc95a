"""Reads of teams. The finder and the suggestions live here (owned by the finder work).

`teams_for_finder` is the contract shared by the web finder (/teams/) and
GET /api/v1/teams/: both pass the request's query parameters and get the same teams.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping

from django.conf import settings
from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.utils import translation

from events.models import Event
from hackathon.pagecache import cached_value
from teams.enums import MemberRole, TeamStatus
from teams.models import Membership, OpenRole, Team


def active_team_count(*, event: Event, user) -> int:
    """In how many teams of the event the person is (closed teams have no members)."""
    return Membership.objects.filter(event=event, user_id=user.pk).count()


def is_settled(*, event: Event, user) -> bool:
    """Whether the person is in as many teams of the event as it allows (`teams_per_person`)."""
    return active_team_count(event=event, user=user) >= event.teams_per_person


# The query parameters the finder understands, in the order the filter form shows them.
FINDER_PARAMS = ("q", "challenge", "topic", "skill", "language", "region")
_CHALLENGE_NUMBER = re.compile(r"^#?\s*(\d{1,9})$")
MAX_QUERY_LENGTH = 200
# Texts of a challenge that only its own page shows.
CHALLENGE_LONG_FIELDS = (
    "problem",
    "affected",
    "desired_outcome",
    "rejection_reason",
    "search_document",
)


def finder_choices(*, event: Event) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The finder form's skills and languages as (value, label): curated skills and every
    skill some team of the event is looking for, by their name in the page's language
    and sorted as they read. Looked up once and kept in the cache until a team changes."""
    from participants.models import Language, Skill

    def look_up():
        skills = Skill.objects.filter(
            Q(is_curated=True) | Q(open_roles__team__event=event)
        ).distinct()
        choices = sorted(((s.slug, str(s.label)) for s in skills), key=lambda c: c[1].casefold())
        return choices, list(Language.objects.values_list("code", "name"))

    language = translation.get_language() or ""
    return cached_value(f"finder-choices:{event.pk}:{language}", scopes=("teams",), compute=look_up)


def teams_with_places(*, event: Event) -> QuerySet[Team]:
    """Open teams of the event that still have a free place (uses `team_finder_idx`)."""
    return Team.objects.filter(event=event, status=TeamStatus.OPEN, member_count__lt=F("max_size"))


def teams_for_finder(*, event: Event, params: Mapping[str, str]) -> QuerySet[Team]:
    """Open teams with free places, filtered by `params`; newest first (best match first
    when searching by text). A fixed number of queries however many rows: evaluating a
    page costs the rows, their open roles, the roles' skills and the teams' languages.

    Filters, each optional and combined with AND (blank values are ignored):
    - `q`: text in the team's name or pitch (German full-text search on PostgreSQL,
      also matching a part of the name; case-insensitive containment elsewhere);
    - `challenge`: the challenge's public number ("100065" or "#100065");
    - `topic`: slug of the challenge's topic field;
    - `skill`: slug of a skill that one of the team's open roles wants;
    - `language`: code of one of the team's working languages ("de", "en", …);
    - `region`: a Bundesland code (challenges.enums.State). A team matches when its
      challenge is about that state, or when one of its members says in their profile
      that they are from there: people look for a team they can meet or whose problem
      is local to them.
    A value that cannot match (a challenge "number" with letters) gives no teams, never an
    error: the web form and the API validate their input before calling this.

    Contract: the web finder and GET /api/v1/teams/ both call this.
    """
    teams = teams_with_places(event=event)

    challenge = _param(params, "challenge")
    if challenge:
        match = _CHALLENGE_NUMBER.match(challenge)
        if match is None:
            return teams.none()
        teams = teams.filter(challenge__number=int(match.group(1)))

    topic = _param(params, "topic")
    if topic:
        teams = teams.filter(challenge__topic__slug=topic)

    skill = _param(params, "skill")
    if skill:
        # EXISTS instead of a join: a team with two roles wanting the skill appears once.
        wanted = OpenRole.skills.through.objects.filter(
            openrole__team=OuterRef("pk"), skill__slug=skill
        )
        teams = teams.filter(Exists(wanted))

    language = _param(params, "language")
    if language:
        speaks = Team.languages.through.objects.filter(team=OuterRef("pk"), language_id=language)
        teams = teams.filter(Exists(speaks))

    region = _param(params, "region")
    if region:
        member_from = Membership.objects.filter(team=OuterRef("pk"), user__profile__region=region)
        teams = teams.filter(Q(challenge__state=region) | Exists(member_from))

    # The challenge's long texts and search vector are for its own page, not a team card.
    teams = (
        teams.select_related("challenge", "challenge__topic")
        .defer(
            *(f"challenge__{name}" for name in CHALLENGE_LONG_FIELDS),
            "challenge__topic__description",
        )
        .prefetch_related(
            Prefetch("open_roles", queryset=OpenRole.objects.prefetch_related("skills")),
            "languages",
        )
    )

    text = _param(params, "q")[:MAX_QUERY_LENGTH]
    if text:
        return _search(teams, text)
    return teams.order_by("-created_at", "-pk")


def team_cards(teams: list[Team]) -> list[Team]:
    """Loads what a team's card shows (templates/teams/finder_team_card.html) onto the
    teams, in three queries: `card_roles`, the open roles, each with its `card_skills`,
    and `card_languages`. Plain lists: Django's prefetch builds a related manager and a
    queryset for every team and every role, which cost more than the page's rendering.
    Teams that come with their roles, skills and languages prefetched keep those."""
    from participants.models import Language, Skill

    to_load = []
    for team in teams:
        if _prefetched(team, "open_roles", "languages"):
            team.card_roles = list(team.open_roles.all())
            for role in team.card_roles:
                role.card_skills = list(role.skills.all())
            team.card_languages = list(team.languages.all())
        else:
            to_load.append(team)
    team_ids = [team.pk for team in to_load]
    roles = list(OpenRole.objects.filter(team_id__in=team_ids))
    skills = defaultdict(list)
    for skill in Skill.objects.filter(open_roles__in=[role.pk for role in roles]).annotate(
        role_id=F("open_roles__id")
    ):
        skills[skill.role_id].append(skill)
    roles_of = defaultdict(list)
    for role in roles:
        role.card_skills = skills[role.pk]
        roles_of[role.team_id].append(role)
    languages = defaultdict(list)
    for language in Language.objects.filter(teams__in=team_ids).annotate(team_id=F("teams__id")):
        languages[language.team_id].append(language)
    for team in to_load:
        team.card_roles = roles_of[team.pk]
        team.card_languages = languages[team.pk]
    return teams


def teams_listed(*, ids: list[int]) -> dict[int, dict]:
    """What a page of the API's team list shows, as plain values in four queries: each
    team's columns (with `event__slug`, `challenge__number`, `challenge__title`), its
    `languages` (codes, by name) and `open_roles` (id, title, description and the skills'
    slugs, in order). No model instances: 50 teams cost a few milliseconds."""
    from participants.models import Skill

    rows = {
        row["id"]: {**row, "languages": [], "open_roles": []}
        for row in Team.objects.filter(pk__in=ids).values(
            "id",
            "name",
            "pitch",
            "max_size",
            "member_count",
            "status",
            "created_at",
            "closed_at",
            "event__slug",
            "challenge__number",
            "challenge__title",
        )
    }
    languages = Team.languages.through.objects.filter(team_id__in=ids)
    for team_id, code in languages.order_by("language__name").values_list("team_id", "language_id"):
        rows[team_id]["languages"].append(code)
    roles = {}
    for role in OpenRole.objects.filter(team_id__in=ids).values(
        "id", "team_id", "title", "description"
    ):
        roles[role["id"]] = {**role, "skills": []}
        rows[role["team_id"]]["open_roles"].append(roles[role["id"]])
    wanted = OpenRole.skills.through.objects.filter(openrole_id__in=list(roles))
    # In the skills' own order, as `role.skills.all()` gives them.
    skill_order = [
        f"-skill__{name[1:]}" if name.startswith("-") else f"skill__{name}"
        for name in Skill._meta.ordering
    ]
    for role_id, slug in wanted.order_by(*skill_order).values_list("openrole_id", "skill__slug"):
        roles[role_id]["skills"].append(slug)
    return rows


def _prefetched(instance, *names: str) -> bool:
    cache = getattr(instance, "_prefetched_objects_cache", {})
    return all(name in cache for name in names)


def _param(params: Mapping[str, str], name: str) -> str:
    value = params.get(name) if params else None
    if value is None:
        return ""
    return str(value).strip()


def _search(teams: QuerySet[Team], text: str) -> QuerySet[Team]:
    if settings.USING_POSTGRES:
        from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

        # Teams are few (1,500 at #WirVsVirus) and their texts short, so the document is
        # computed on the fly rather than stored like the challenges' search_document.
        document = SearchVector("name", weight="A", config="german") + SearchVector(
            "pitch", weight="B", config="german"
        )
        query = SearchQuery(text, config="german", search_type="websearch")
        return (
            teams.annotate(search_document=document)
            .filter(Q(search_document=query) | Q(name__icontains=text))
            .annotate(rank=SearchRank(F("search_document"), query))
            .order_by("-rank", "-created_at", "-pk")
        )
    for word in text.split()[:10]:
        teams = teams.filter(Q(name__icontains=word) | Q(pitch__icontains=word))
    return teams.order_by("-created_at", "-pk")


# --- the team pages, the manage page and "my teams" ----------------------------------------


def team_for_user(*, pk: int, user) -> Team:
    """The team if this person may see it (its event is visible to them); 404 otherwise.

    Closed teams are found too: their page says they are closed.
    """
    from django.http import Http404

    team = teams_visible_to(user=user).filter(pk=pk).first()
    if team is None:
        raise Http404("No such team.")
    return team


def teams_visible_to(*, user) -> QuerySet[Team]:
    """The teams of the events this person may see, closed ones too, with their event
    and challenge."""
    from events.selectors import events_visible_to

    return Team.objects.filter(event__in=events_visible_to(user=user)).select_related(
        "event", "challenge", "challenge__topic"
    )


def team_page_data(*, team: Team) -> Team:
    """Loads what the team page shows onto the team: members (with people), open roles
    (with skills) and languages, each in one query."""
    from django.db.models import prefetch_related_objects

    prefetch_related_objects(
        [team],
        Prefetch("memberships", queryset=Membership.objects.select_related("user")),
        Prefetch("open_roles", queryset=OpenRole.objects.prefetch_related("skills")),
        "languages",
    )
    return team


def memberships_of(*, user) -> QuerySet[Membership]:
    """The person's memberships, newest team first, with team, event and challenge."""
    return (
        Membership.objects.filter(user_id=user.pk)
        .select_related("team", "team__event", "team__challenge")
        .order_by("-team__created_at", "-team__pk")
    )


def teams_of_user(*, user) -> QuerySet[Team]:
    """The teams the person is in, newest first, with their members; for /api/v1/me/teams/."""
    if not user.is_authenticated:
        return Team.objects.none()
    return (
        Team.objects.filter(memberships__user_id=user.pk)
        .select_related("event", "challenge", "challenge__topic")
        .prefetch_related(
            Prefetch("open_roles", queryset=OpenRole.objects.prefetch_related("skills")),
            "languages",
            Prefetch("memberships", queryset=Membership.objects.select_related("user")),
        )
        .order_by("-created_at", "-pk")
    )


def team_for_user_in_event(*, user, event: Event) -> Team | None:
    """The (first) team the person is in for this event, or None."""
    if not user.is_authenticated:
        return None
    membership = (
        Membership.objects.filter(user_id=user.pk, event=event)
        .select_related("team")
        .order_by("joined_at")
        .first()
    )
    return membership.team if membership else None


def teams_admined_by(*, user, event: Event) -> list[Team]:
    """The open teams of the event the person is an admin of (where they may invite)."""
    if not user.is_authenticated:
        return []
    return list(
        Team.objects.filter(
            event=event,
            status=TeamStatus.OPEN,
            memberships__user_id=user.pk,
            memberships__role=MemberRole.ADMIN,
        ).order_by("name", "pk")
    )


def teams_for_challenge(*, challenge) -> QuerySet[Team]:
    """The open teams working on a challenge, fullest first (for the challenge page)."""
    return Team.objects.filter(challenge=challenge, status=TeamStatus.OPEN).order_by(
        "-member_count", "name"
    )


def join_requests_pending(*, team: Team):
    """The team's pending requests, oldest first (first come, first answered)."""
    from teams.enums import JoinRequestStatus
    from teams.models import JoinRequest

    return (
        JoinRequest.objects.filter(team=team, status=JoinRequestStatus.PENDING)
        .select_related("user")
        .order_by("created_at", "pk")
    )


def join_request_of(*, team: Team, user):
    """The person's pending request to the team, or None."""
    from teams.enums import JoinRequestStatus
    from teams.models import JoinRequest

    if not user.is_authenticated:
        return None
    return JoinRequest.objects.filter(
        team=team, user_id=user.pk, status=JoinRequestStatus.PENDING
    ).first()


def invitations_valid(*, team: Team):
    """The team's invitation links that still work, newest first."""
    from django.utils import timezone

    from teams.models import Invitation

    return (
        Invitation.objects.filter(team=team, revoked_at__isnull=True, expires_at__gt=timezone.now())
        # A personal invitation is used up once accepted.
        .exclude(invitee__isnull=False, uses__gt=0)
        .select_related("invitee")
        .order_by("-created_at", "-pk")
    )


def invitation_by_token(*, token: str):
    """The invitation with this token (any state), with its team and event, or None."""
    from teams.models import Invitation

    return (
        Invitation.objects.filter(token=token)
        .select_related("team", "team__event", "team__challenge")
        .first()
    )


# --- the API's reads (teams/api/) ------------------------------------------------------------


def team_keys_for_finder(*, event: Event, params: Mapping[str, str]) -> QuerySet[Team]:
    """The finder's teams (`teams_for_finder`) with nothing but their keys: a page of
    GET /api/v1/teams/ loads what it shows by them (TeamListSerializer, `teams_listed`)."""
    teams = teams_for_finder(event=event, params=params)
    return teams.select_related(None).prefetch_related(None).only("pk")


def join_requests_of_team(*, team: Team, status: str = "", user=None):
    """The team's join requests with their people, oldest first: those with `status`,
    or with `user` only that person's own (any status)."""
    from teams.models import JoinRequest

    requests = JoinRequest.objects.filter(team=team).select_related("user")
    if status:
        requests = requests.filter(status=status)
    if user is not None:
        requests = requests.filter(user_id=user.pk)
    return requests.order_by("created_at", "pk")


def join_request_of_team(*, team: Team, pk):
    """The team's join request `pk` with its person (and `team` as its team), or None."""
    from teams.models import JoinRequest

    join_request = JoinRequest.objects.select_related("user").filter(pk=pk, team=team).first()
    if join_request is not None:
        join_request.team = team
    return join_request


def invitation_of_team(*, team: Team, pk):
    """The team's invitation `pk` (any state, with `team` as its team), or None."""
    from teams.models import Invitation

    invitation = Invitation.objects.filter(pk=pk, team=team).first()
    if invitation is not None:
        invitation.team = team
    return invitation


def membership_of_team(*, team: Team, user_id) -> Membership | None:
    """The person's membership of the team, with the person, or None."""
    # user__pk, not user_id: only the pk's own lookup turns a number past what the
    # column holds into "no such row" (the foreign key's raises, a 500).
    return Membership.objects.select_related("user").filter(team=team, user__pk=user_id).first()


def open_role_of_team(*, team: Team, pk) -> OpenRole | None:
    """The team's open role `pk` with its skills (and `team` as its team), or None."""
    role = OpenRole.objects.filter(pk=pk, team=team).prefetch_related("skills").first()
    if role is not None:
        role.team = team
    return role


def skills_for_open_role(*, slugs, role: OpenRole | None = None) -> list:
    """The skills with these slugs that an open role may want: the curated ones, and
    those the role already has (free skills a person named)."""
    from participants.models import Skill

    own = [skill.pk for skill in role.skills.all()] if role is not None else []
    return list(Skill.objects.filter(Q(is_curated=True) | Q(pk__in=own), slug__in=slugs))
