"""Suggestions: the teams that fit a participant, and the people that fit a team.

How a fit is scored (the same for both directions), per candidate:

    SKILL    points for every skill the team's open roles want that the person has
    TOPIC    the person is interested in the topic field of the team's challenge
    RELATED  the person has a skill in the same category as a wanted one (not the same skill)
    LANGUAGE the team works in a language the person speaks
    REGION   the person's Bundesland is the challenge's, or that of one of the members

One exact skill match outweighs every other reason together (SKILL > TOPIC + RELATED +
LANGUAGE + REGION), so a team that wants what you can do always ranks above one that
merely works on a topic you like. Ties are broken by the older team (lower id) or the
earlier registration, so the order never changes between two page loads.

Scores are computed by the database for all candidates in one query: every reason is
`pk IN (uncorrelated subquery)` (one per skill), which PostgreSQL evaluates once into a
hashed set, so scoring 28,000 people is a handful of hash look-ups each, with no GROUP
BY and no correlated subquery. (Correlated EXISTS gave the same plan at run time, but
the planner costed it per row, crossed jit_above_cost and spent 280 ms compiling.)
Only the top few rows are loaded as objects and explained in words;
nothing loops in Python over all people or teams (see bench/teams_finder.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import (
    Case,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils.translation import gettext as _

from challenges.enums import State
from events.models import Event
from participants.models import Profile, Registration, Skill
from participants.selectors import people_for_finder
from teams.models import Membership, OpenRole, Team
from teams.selectors import is_settled, teams_with_places

SKILL = 10
TOPIC = 4
RELATED = 2
LANGUAGE = 1
REGION = 1
DEFAULT_LIMIT = 10
# Skills scored one by one; a profile or a team listing more is scored on the first ones.
MAX_SCORED_SKILLS = 30
# How many wanted skills an explanation names before it stops listing.
MAX_NAMED = 4

ProfileSkill = Profile.skills.through
ProfileTopic = Profile.topic_interests.through
ProfileLanguage = Profile.languages.through
RoleSkill = OpenRole.skills.through
TeamLanguage = Team.languages.through


@dataclass
class TeamSuggestion:
    team: Team
    score: int
    reasons: list[str] = field(default_factory=list)


@dataclass
class PersonSuggestion:
    registration: Registration
    score: int
    reasons: list[str] = field(default_factory=list)

    @property
    def user(self):
        return self.registration.user

    @property
    def profile(self) -> Profile | None:
        return getattr(self.registration.user, "profile", None)


# --- small helpers -------------------------------------------------------------------------


def _points(condition, points: int) -> Case:
    return Case(When(condition, then=Value(points)), default=Value(0), output_field=IntegerField())


def _best(candidates: QuerySet, score, limit: int) -> list[tuple[int, int]]:
    """(pk, score) of the `limit` best candidates with a score above zero.

    Zero scores are dropped here rather than in SQL: a WHERE on the annotation would make
    the database compute every score twice, and they sort last anyway.
    """
    rows = candidates.annotate(score=score).order_by("-score", "pk").values_list("pk", "score")
    return [(pk, points) for pk, points in rows[:limit] if points > 0]


def human_list(names: list[str]) -> str:
    """ "Python", "Python and UX", "Python, UX and Data", at most MAX_NAMED names."""
    names = list(names)
    if len(names) > MAX_NAMED:
        shown = ", ".join(names[:MAX_NAMED])
        return _("%(names)s and %(count)d more") % {
            "names": shown,
            "count": len(names) - MAX_NAMED,
        }
    if len(names) <= 1:
        return "".join(names)
    return _("%(names)s and %(last)s") % {"names": ", ".join(names[:-1]), "last": names[-1]}


def _region_name(code: str) -> str:
    try:
        return str(State(code).label)
    except ValueError:
        return code


@dataclass
class _Person:
    """What the scoring needs to know about one person: read in a few small queries."""

    profile_id: int | None
    skill_ids: set[int]
    skill_names: dict[int, str]
    categories: set[str]
    topic_ids: set[int]
    language_codes: set[str]
    region: str


def _person(user) -> _Person:
    profile = Profile.objects.filter(user=user).only("pk", "region").first()
    if profile is None:
        return _Person(None, set(), {}, set(), set(), set(), "")
    skills = list(Skill.objects.filter(profiles=profile).values_list("pk", "name", "category"))
    return _Person(
        profile_id=profile.pk,
        skill_ids={pk for pk, _name, _cat in skills},
        skill_names={pk: name for pk, name, _cat in skills},
        categories={cat for _pk, _name, cat in skills if cat},
        topic_ids=set(
            ProfileTopic.objects.filter(profile=profile).values_list("topic_id", flat=True)
        ),
        language_codes=set(
            ProfileLanguage.objects.filter(profile=profile).values_list("language_id", flat=True)
        ),
        region=profile.region,
    )


# --- teams for a participant ---------------------------------------------------------------


def teams_suggested_for(*, event: Event, user, limit: int = DEFAULT_LIMIT) -> list[TeamSuggestion]:
    """The open teams with free places that fit this person best, best first, explained.

    Only teams with a score above zero are suggested; teams the person is already in are
    left out, and someone in as many teams as the event allows gets none (they could not
    join one). A fixed number of queries (about ten) however many teams the event has.
    """
    if is_settled(event=event, user=user):
        return []
    person = _person(user)
    candidates = teams_with_places(event=event).exclude(
        Exists(Membership.objects.filter(team=OuterRef("pk"), user=user))
    )
    team = "pk"
    score = Value(0, output_field=IntegerField())
    for skill_id in sorted(person.skill_ids)[:MAX_SCORED_SKILLS]:
        # A skill wanted by two roles counts once.
        wanting = RoleSkill.objects.filter(skill_id=skill_id).values("openrole__team_id")
        score = score + _points(Q((f"{team}__in", wanting)), SKILL)
    if person.categories:
        related = (
            RoleSkill.objects.filter(skill__category__in=person.categories)
            .exclude(skill_id__in=person.skill_ids)
            .values("openrole__team_id")
        )
        score = score + _points(Q((f"{team}__in", related)), RELATED)
    if person.topic_ids:
        score = score + _points(Q(challenge__topic_id__in=person.topic_ids), TOPIC)
    if person.language_codes:
        speaking = TeamLanguage.objects.filter(language_id__in=person.language_codes).values(
            "team_id"
        )
        score = score + _points(Q((f"{team}__in", speaking)), LANGUAGE)
    if person.region:
        with_member_from = Membership.objects.filter(
            event=event, user__profile__region=person.region
        ).values("team_id")
        score = score + _points(
            Q(challenge__state=person.region) | Q((f"{team}__in", with_member_from)), REGION
        )
    top = _best(candidates, score, limit)
    if not top:
        return []
    teams = (
        Team.objects.filter(pk__in=[pk for pk, _score in top])
        .select_related("challenge", "challenge__topic")
        .prefetch_related(
            Prefetch("open_roles", queryset=OpenRole.objects.prefetch_related("skills")),
            "languages",
        )
        .in_bulk()
    )
    regions_of_members: set[int] = set()
    if person.region:
        regions_of_members = set(
            Membership.objects.filter(
                team_id__in=teams.keys(), user__profile__region=person.region
            ).values_list("team_id", flat=True)
        )
    return [
        TeamSuggestion(
            team=teams[pk],
            score=points,
            reasons=_team_reasons(teams[pk], person, pk in regions_of_members),
        )
        for pk, points in top
        if pk in teams
    ]


def _team_reasons(team: Team, person: _Person, member_from_region: bool) -> list[str]:
    reasons = []
    wanted: dict[int, Skill] = {}
    for role in team.open_roles.all():
        for skill in role.skills.all():
            wanted.setdefault(skill.pk, skill)
    wanted_names = sorted(skill.label for skill in wanted.values())
    have = sorted(skill.label for pk, skill in wanted.items() if pk in person.skill_ids)
    if have:
        if len(have) == len(wanted):
            if len(have) == 1:
                template = _("needs %(skills)s; you have it")
            elif len(have) == 2:
                template = _("needs %(skills)s; you have both")
            else:
                template = _("needs %(skills)s; you have all of them")
            reasons.append(template % {"skills": human_list(wanted_names)})
        else:
            reasons.append(
                _("needs %(skills)s; you have %(yours)s")
                % {"skills": human_list(wanted_names), "yours": human_list(have)}
            )
    related = sorted(
        {
            skill.category_label
            for pk, skill in wanted.items()
            if skill.category in person.categories and pk not in person.skill_ids
        }
    )
    if related:
        reasons.append(
            _("looks for more people in %(categories)s, where you have skills too")
            % {"categories": human_list(related)}
        )
    topic = team.challenge.topic
    if topic is not None and topic.pk in person.topic_ids:
        reasons.append(
            _("works on a topic you are interested in: %(topic)s") % {"topic": topic.name}
        )
    common = [lang.name for lang in team.languages.all() if lang.code in person.language_codes]
    if common:
        reasons.append(_("speaks your language: %(languages)s") % {"languages": human_list(common)})
    if person.region:
        region = _region_name(person.region)
        if team.challenge.state == person.region:
            reasons.append(
                _("its challenge is about %(region)s, where you are") % {"region": region}
            )
        elif member_from_region:
            reasons.append(_("has members from %(region)s, like you") % {"region": region})
    return reasons


# --- people for a team ---------------------------------------------------------------------


@dataclass
class _TeamNeeds:
    skill_ids: set[int]
    categories: set[str]
    # Skills in the categories of the wanted ones, not wanted themselves.
    related_ids: set[int]
    topic_id: int | None
    language_codes: set[str]
    regions: set[str]


def _team_needs(team: Team) -> _TeamNeeds:
    is_wanted = Exists(RoleSkill.objects.filter(openrole__team=team, skill_id=OuterRef("pk")))
    wanted_categories = (
        Skill.objects.filter(open_roles__team=team).exclude(category="").values("category")
    )
    # The wanted skills and their neighbours in one query (the skill list is short).
    rows = list(
        Skill.objects.annotate(is_wanted=is_wanted)
        .filter(Q(is_wanted=True) | Q(category__in=wanted_categories))
        .values_list("pk", "category", "is_wanted")
    )
    wanted = [(pk, category) for pk, category, flag in rows if flag]
    regions = set(
        Membership.objects.filter(team=team)
        .exclude(user__profile__region="")
        .values_list("user__profile__region", flat=True)
    )
    regions.discard(None)
    if team.challenge.state:
        regions.add(team.challenge.state)
    return _TeamNeeds(
        skill_ids={pk for pk, _cat in wanted},
        categories={cat for _pk, cat in wanted if cat},
        related_ids={pk for pk, _category, flag in rows if not flag},
        topic_id=team.challenge.topic_id,
        language_codes=set(
            TeamLanguage.objects.filter(team=team).values_list("language_id", flat=True)
        ),
        regions=regions,
    )


def people_suggested_for(*, team: Team, limit: int = DEFAULT_LIMIT) -> list[PersonSuggestion]:
    """The people looking for a team whom this team's open roles and topic fit best, best
    first, explained: those of participants.selectors.people_for_finder (visible to team
    admins, not in a team yet) with a score above zero.

    `team` should come with its challenge loaded (select_related). Nine queries however
    many people registered.
    """
    event = team.event
    needs = _team_needs(team)
    # The people finder's list: participants looking for a team, not in one, active, whose
    # profile is public or open to participants (those who chose "team admins only" show
    # themselves by asking to join). Its ordering and prefetches are dropped below.
    candidates = people_for_finder(event=event, params={})
    profile = "user__profile__id"
    score = Value(0, output_field=IntegerField())
    for skill_id in sorted(needs.skill_ids)[:MAX_SCORED_SKILLS]:
        having = ProfileSkill.objects.filter(skill_id=skill_id).values("profile_id")
        score = score + _points(Q((f"{profile}__in", having)), SKILL)
    if needs.related_ids:
        related = ProfileSkill.objects.filter(skill_id__in=needs.related_ids).values("profile_id")
        score = score + _points(Q((f"{profile}__in", related)), RELATED)
    if needs.topic_id:
        liking = ProfileTopic.objects.filter(topic_id=needs.topic_id).values("profile_id")
        score = score + _points(Q((f"{profile}__in", liking)), TOPIC)
    if needs.language_codes:
        speaking = ProfileLanguage.objects.filter(language_id__in=needs.language_codes).values(
            "profile_id"
        )
        score = score + _points(Q((f"{profile}__in", speaking)), LANGUAGE)
    if needs.regions:
        score = score + _points(Q(user__profile__region__in=needs.regions), REGION)
    top = _best(candidates, score, limit)
    if not top:
        return []
    registrations = (
        Registration.objects.filter(pk__in=[pk for pk, _score in top])
        .select_related("user", "user__profile")
        .prefetch_related(
            "user__profile__skills", "user__profile__topic_interests", "user__profile__languages"
        )
        .in_bulk()
    )
    wanted_names = {s.pk: s.label for s in Skill.objects.filter(pk__in=needs.skill_ids)}
    return [
        PersonSuggestion(
            registration=registrations[pk],
            score=points,
            reasons=_person_reasons(registrations[pk], team, needs, wanted_names),
        )
        for pk, points in top
        if pk in registrations
    ]


def _person_reasons(
    registration: Registration, team: Team, needs: _TeamNeeds, wanted_names: dict[int, str]
) -> list[str]:
    profile = getattr(registration.user, "profile", None)
    if profile is None:
        return []
    reasons = []
    skills = list(profile.skills.all())
    have = sorted(wanted_names[s.pk] for s in skills if s.pk in needs.skill_ids)
    if have:
        reasons.append(
            _("has %(skills)s, which your open roles need") % {"skills": human_list(have)}
        )
    related = sorted(
        {
            s.category_label
            for s in skills
            if s.category in needs.categories and s.pk not in needs.skill_ids
        }
    )
    if related:
        reasons.append(
            _("has other skills in %(categories)s") % {"categories": human_list(related)}
        )
    if needs.topic_id and any(t.pk == needs.topic_id for t in profile.topic_interests.all()):
        reasons.append(
            _("is interested in your topic: %(topic)s") % {"topic": team.challenge.topic.name}
        )
    common = [lang.name for lang in profile.languages.all() if lang.code in needs.language_codes]
    if common:
        reasons.append(
            _("speaks %(languages)s, like your team") % {"languages": human_list(common)}
        )
    if profile.region and profile.region in needs.regions:
        reasons.append(_("is from %(region)s") % {"region": _region_name(profile.region)})
    return reasons
