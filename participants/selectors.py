"""Reads of participants: registrations, profiles as others may see them, the people finder.

Every list here runs a fixed number of queries however many people are registered:
the filters are joins on unique keys (so no row is repeated) and the details of a
page come in with select_related/prefetch_related.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from itertools import groupby

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import User
from challenges.models import Topic
from events.enums import PhaseKind
from events.models import Event, Phase
from participants import rules, signals
from participants.enums import FINDER_VISIBILITIES, EventRole, ProfileVisibility
from participants.models import Language, Profile, Registration, Skill

# People the finder and the API list show; mentors, jurors and organisers are not "looking".
LISTED_ROLES = (EventRole.PARTICIPANT, EventRole.MENTOR)
MAX_TEXT_SEARCH = 100


# ---------------------------------------------------------------- registration phase


@dataclass(frozen=True)
class RegistrationState:
    is_open: bool
    message: str


def registration_phase(*, event: Event) -> Phase | None:
    # Uses the phases a selector prefetched (events_visible_to does).
    return next((p for p in event.phases.all() if p.kind == PhaseKind.REGISTRATION), None)


def registration_state(*, event: Event, now: datetime | None = None) -> RegistrationState:
    """Whether people can register for the event now, and a sentence saying until/since when."""
    now = now or timezone.now()
    phase = registration_phase(event=event)
    if phase is None:
        return RegistrationState(False, _("Registration for this event has not been scheduled."))
    starts = date_format(event.localtime(phase.starts_at), "DATETIME_FORMAT")
    ends = date_format(event.localtime(phase.ends_at), "DATETIME_FORMAT")
    if now < phase.starts_at:
        return RegistrationState(False, _("Registration opens on %(when)s.") % {"when": starts})
    if now >= phase.ends_at:
        return RegistrationState(False, _("Registration closed on %(when)s.") % {"when": ends})
    return RegistrationState(True, _("Registration is open until %(when)s.") % {"when": ends})


# ---------------------------------------------------------------- one person's registrations


def registration_of(*, user, event: Event) -> Registration | None:
    if not user.is_authenticated:
        return None
    return Registration.objects.filter(user=user, event=event).first()


def registrations_of(*, user) -> QuerySet[Registration]:
    """A person's registrations, the most recent event first, with the event's phases."""
    return (
        Registration.objects.filter(user=user)
        .select_related("event")
        .prefetch_related(
            Prefetch("event__phases", queryset=Phase.objects.order_by("starts_at", "ends_at"))
        )
        .order_by("-created_at", "-pk")
    )


def registration_for_user(*, user, event_slug: str) -> Registration:
    """The person's own registration for the event; 404 when there is none."""
    registration = (
        Registration.objects.filter(user=user, event__slug=event_slug)
        .select_related("event")
        .first()
    )
    if registration is None:
        raise Http404("Not registered.")
    return registration


def events_open_for_registration(*, user, now: datetime | None = None) -> list[Event]:
    """Visible events whose registration phase runs now and which the person has not joined."""
    from events.selectors import events_visible_to

    now = now or timezone.now()
    events = events_visible_to(user=user).filter(
        phases__kind=PhaseKind.REGISTRATION, phases__starts_at__lte=now, phases__ends_at__gt=now
    )
    if user.is_authenticated:
        events = events.exclude(registrations__user=user)
    return list(events.order_by("name"))


def _team_rows(event: Event) -> list[QuerySet]:
    """Who of the event is in a team, as the teams app tells (participants.signals)."""
    return signals.answers(signals.people_in_teams, event=event)


def team_ids_of(*, user, event: Event) -> list[int]:
    """The teams of this event the person is in."""
    return [row["team_id"] for rows in _team_rows(event) for row in rows.filter(user_id=user.pk)]


def team_names_of(*, user_ids, event: Event) -> dict[int, list[str]]:
    """Per person, the names of the teams of this event they are in (only people in one)."""
    names: dict[int, list[str]] = {}
    for rows in _team_rows(event):
        for row in rows.filter(user_id__in=list(user_ids)).order_by("team_name"):
            names.setdefault(row["user_id"], []).append(row["team_name"])
    return names


# ---------------------------------------------------------------- profiles


def profile_of(*, user) -> Profile:
    """The person's profile; an unsaved default one when they never saved theirs."""
    try:
        return user.profile
    except Profile.DoesNotExist:
        return Profile(user=user)


def profile_for_editing(*, user) -> Profile:
    profile = (
        Profile.objects.filter(user=user)
        .prefetch_related("skills", "languages", "topic_interests")
        .first()
    )
    return profile or Profile(user=user)


def profile_for_viewer(*, user_id: int, viewer) -> Profile:
    """The profile if the viewer may see it; 404 otherwise (so nobody learns it exists)."""
    person = User.objects.filter(pk=user_id, is_active=True).first()
    if person is None:
        raise Http404("No such person.")
    profile = (
        Profile.objects.filter(user=person)
        .select_related("user")
        .prefetch_related("skills", "languages", "topic_interests__event")
        .first()
    ) or Profile(user=person)
    if not rules.can_view_profile(viewer, profile):
        raise Http404("No such person.")
    return profile


def topics_for_profile(*, user) -> QuerySet[Topic]:
    """Topic fields a person may pick as interests: those of the events they registered for."""
    return (
        Topic.objects.filter(event__registrations__user=user)
        .select_related("event")
        .order_by("event__name", "event_id", "position", "name")
    )


def curated_skills_by_category() -> list[tuple[str, list[Skill]]]:
    """(category label, skills) in the active language, both sorted as they read there."""
    skills = Skill.objects.filter(is_curated=True).order_by("category", "name")
    groups = [
        (group[0].category_label, sorted(group, key=lambda s: s.label.casefold()))
        for group in (list(g) for _category, g in groupby(skills, lambda s: s.category))
    ]
    # Skills without a category ("Other") come last.
    return sorted(groups, key=lambda item: (not item[0], item[0].casefold()))


def languages_all() -> QuerySet[Language]:
    return Language.objects.order_by("name")


# ---------------------------------------------------------------- lists of people


def _with_details(registrations: QuerySet[Registration]) -> QuerySet[Registration]:
    return registrations.select_related("user", "user__profile", "event").prefetch_related(
        Prefetch("user__profile__skills", queryset=Skill.objects.order_by("-is_curated", "name")),
        Prefetch("user__profile__languages", queryset=Language.objects.order_by("name")),
        Prefetch(
            "user__profile__topic_interests",
            queryset=Topic.objects.select_related("event").order_by("position", "name"),
        ),
    )


def people_filter(
    registrations: QuerySet[Registration], *, event: Event, params: Mapping[str, str]
) -> QuerySet[Registration]:
    """Narrows registrations by skill slug, topic slug (of this event), language code,
    region (Bundesland code) and text in display name or bio.

    Each filter joins on a unique key (a person has a skill once, a topic slug is unique
    per event), so no registration appears twice and no DISTINCT is needed.
    """
    if skill := (params.get("skill") or "").strip():
        registrations = registrations.filter(user__profile__skills__slug=skill)
    if topic := (params.get("topic") or "").strip():
        registrations = registrations.filter(
            user__profile__topic_interests__slug=topic,
            user__profile__topic_interests__event=event,
        )
    if language := (params.get("language") or "").strip():
        registrations = registrations.filter(user__profile__languages__code=language)
    if region := (params.get("region") or "").strip():
        registrations = registrations.filter(user__profile__region=region)
    if text := (params.get("q") or "").strip()[:MAX_TEXT_SEARCH]:
        registrations = registrations.filter(
            Q(user__display_name__icontains=text) | Q(user__profile__bio__icontains=text)
        )
    return registrations


def _not_in_a_team(event: Event) -> Q:
    condition = Q()
    for rows in _team_rows(event):
        condition &= ~Q(Exists(rows.filter(user_id=OuterRef("user_id"))))
    return condition


def people_for_finder(*, event: Event, params: Mapping[str, str]) -> QuerySet[Registration]:
    """Participants of the event looking for a team and not yet in one, newest first.

    Only people whose profile is public or open to participants are listed; those who
    chose "team admins" show themselves by asking to join. The caller checks that the
    viewer may use the finder (`rules.can_use_people_finder`). Contract: the web finder,
    the API list and the teams' suggestions reuse this.
    """
    registrations = (
        Registration.objects.filter(
            event=event, role=EventRole.PARTICIPANT, looking_for_team=True, user__is_active=True
        )
        .filter(
            # Without a saved profile a person has the default visibility (participants).
            Q(user__profile__visibility__in=FINDER_VISIBILITIES) | Q(user__profile__isnull=True)
        )
        .filter(_not_in_a_team(event))
    )
    registrations = people_filter(registrations, event=event, params=params)
    return _with_details(registrations).order_by("-created_at", "-pk")


def _visible_people(viewer, event: Event) -> Q | None:
    """A condition on Registration rows: whose profile the viewer may see (None: everyone).

    The same rules as `rules.can_view_profile`, as one query for a whole list.
    """
    if rules.is_event_organiser(viewer, event):
        return None
    visible = Q(user__profile__visibility=ProfileVisibility.PUBLIC)
    if not (viewer and viewer.is_authenticated and viewer.is_active):
        return visible
    visible |= Q(user=viewer)
    participants_level = Q(user__profile__visibility=ProfileVisibility.PARTICIPANTS) | Q(
        user__profile__isnull=True  # never saved: the default visibility
    )
    if Registration.objects.filter(event=event, user=viewer).exists():
        # Everyone listed is registered for this event, like the viewer.
        visible |= participants_level
    else:
        visible |= participants_level & Q(
            Exists(
                Registration.objects.filter(
                    user_id=OuterRef("user_id"), event__registrations__user=viewer
                )
            )
        )
    # The "team admins" level: the teams app names the people (participants.signals).
    for answer in signals.answers(signals.profiles_opened_to, viewer=viewer):
        for rows in answer:
            visible |= Q(Exists(rows.filter(user_id=OuterRef("user_id"))))
    return visible


def people_for_viewer(*, event: Event, viewer, params: Mapping[str, str]) -> QuerySet[Registration]:
    """Participants and mentors of the event whose profiles the viewer may see, filtered
    like the finder; `looking_for_team=true` narrows to the finder's people (looking for a
    team, not in one)."""
    registrations = Registration.objects.filter(
        event=event, role__in=LISTED_ROLES, user__is_active=True
    )
    visible = _visible_people(viewer, event)
    if visible is not None:
        registrations = registrations.filter(visible)
    if role := (params.get("role") or "").strip():
        registrations = registrations.filter(role=role)
    if str(params.get("looking_for_team") or "").lower() in {"true", "1", "yes"}:
        registrations = registrations.filter(looking_for_team=True).filter(_not_in_a_team(event))
    registrations = people_filter(registrations, event=event, params=params)
    return _with_details(registrations).order_by("-created_at", "-pk")
