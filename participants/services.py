"""Every write to participants: registering for an event, the profile, leaving an event.

Each service checks state and permission first and raises ParticipantError with a
message a person can read (and the form field it concerns); views turn it into a
form error or a 4xx. Registration and cancellation write an audit entry.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from audit.services import audit_log
from challenges.enums import State
from challenges.models import Topic
from events.models import Event
from hackathon.errors import DomainError
from participants import rules, selectors
from participants.enums import (
    MAX_SKILLS,
    SELF_REGISTRATION_ROLES,
    Availability,
    EventRole,
    ProfileVisibility,
)
from participants.models import Language, Profile, Registration, Skill
from participants.signals import registration_cancelled

MAX_TAG_LENGTH = 60
MAX_BIO_LENGTH = Profile._meta.get_field("bio").max_length


class ParticipantError(DomainError):
    """A registration or profile change that is not allowed; the message says why."""


def _require_signed_in(user) -> None:
    if not (user and user.is_authenticated and user.is_active):
        raise ParticipantError(_("Please log in first."))


def profile_ensure(*, user) -> Profile:
    """The person's profile, created with the defaults when missing. Idempotent."""
    profile, _created = Profile.objects.get_or_create(user=user)
    return profile


# ---------------------------------------------------------------- registrations


@transaction.atomic
def registration_create(
    *,
    event: Event,
    user,
    accept_code_of_conduct: bool,
    role: str = EventRole.PARTICIPANT,
    looking_for_team: bool = True,
    now: datetime | None = None,
) -> Registration:
    """Registers the person for the event as participant or mentor.

    Only inside the event's registration phase, only with the code of conduct accepted,
    and only once (also when two requests race: the database's unique constraint decides).
    Mentors are never "looking for a team". Side effects: creates the profile when
    missing, writes an audit entry.
    """
    _require_signed_in(user)
    if role not in SELF_REGISTRATION_ROLES:
        raise ParticipantError(
            _("You can register as participant or mentor; organisers appoint the other roles."),
            field="role",
        )
    if not accept_code_of_conduct:
        raise ParticipantError(
            _("Please accept the code of conduct to register."), field="accept_code_of_conduct"
        )
    state = selectors.registration_state(event=event, now=now)
    if not state.is_open:
        raise ParticipantError(state.message)
    if Registration.objects.filter(event=event, user=user).exists():
        raise ParticipantError(_("You are already registered for this event."))
    try:
        with transaction.atomic():
            registration = Registration.objects.create(
                event=event,
                user=user,
                role=role,
                looking_for_team=bool(looking_for_team) and role == EventRole.PARTICIPANT,
                code_of_conduct_accepted_at=now or timezone.now(),
            )
    except IntegrityError:
        raise ParticipantError(_("You are already registered for this event.")) from None
    profile_ensure(user=user)
    audit_log(actor=user, action="participants.register", target=registration, data={"role": role})
    return registration


@transaction.atomic
def registration_update(
    *, registration: Registration, actor, looking_for_team: bool
) -> Registration:
    """Sets whether the person is looking for a team in this event.

    Only the person (or an organiser); only participants look for teams.
    Side effects: none besides the row.
    """
    if not rules.can_change_registration(actor, registration):
        raise ParticipantError(_("You may not change this registration."))
    if looking_for_team and registration.role != EventRole.PARTICIPANT:
        raise ParticipantError(
            _("Only participants can look for a team."), field="looking_for_team"
        )
    if registration.looking_for_team != bool(looking_for_team):
        registration.looking_for_team = bool(looking_for_team)
        registration.save(update_fields=["looking_for_team"])
    return registration


@transaction.atomic
def registration_cancel(*, registration: Registration, actor) -> None:
    """Removes the person's registration for the event.

    Refused while the person is in a team of the event (they leave the team first).
    The registration row is locked first, the same row the team services lock before
    adding someone to a team, so a join and a cancellation never both win.
    Side effects: deletes the registration, writes an audit entry; sends
    `registration_cancelled` (teams withdraws the person's pending join requests).
    """
    if not rules.can_change_registration(actor, registration):
        raise ParticipantError(_("You may not change this registration."))
    locked = Registration.objects.select_for_update().filter(pk=registration.pk).first()
    if locked is None:
        return  # already gone: cancelling twice changes nothing
    if selectors.team_ids_of(user=locked.user, event=registration.event):
        raise ParticipantError(
            _("You are in a team of this event. Please leave the team before you unregister.")
        )
    audit_log(
        actor=actor,
        action="participants.unregister",
        target=locked,
        data={"event": registration.event.slug, "user_id": locked.user_id},
    )
    registration_cancelled.send(sender=Registration, event=registration.event, user=locked.user)
    locked.delete()


def in_team_message(registration: Registration, team_names: list[str]) -> str:
    """Why a registration cannot go, or its role change, while its person is in a team."""
    return _(
        "%(name)s is in the team %(teams)s of this event. They must leave it, or be "
        "removed by a team admin, before their registration is deleted or their role changes."
    ) % {
        "name": registration.user.public_name,
        "teams": ", ".join(f"“{name}”" for name in team_names),
    }


def _require_event_organiser(actor, event: Event) -> None:
    if not rules.is_event_organiser(actor, event):
        raise ParticipantError(_("You may not change this registration."))


@transaction.atomic
def registration_appoint(
    *, event: Event, user, actor, role: str, looking_for_team: bool = False
) -> Registration:
    """An organiser registers a person for the event in any role (a juror, an organiser),
    also outside the registration phase and without the code of conduct accepted.

    Side effects: the registration, the person's profile when missing; an audit entry.
    """
    _require_event_organiser(actor, event)
    if role not in EventRole.values:
        raise ValueError(f"Unknown event role {role!r}.")  # the callers offer the choices
    try:
        with transaction.atomic():
            registration = Registration.objects.create(
                event=event,
                user=user,
                role=role,
                looking_for_team=bool(looking_for_team) and role == EventRole.PARTICIPANT,
            )
    except IntegrityError:
        raise ParticipantError(_("You are already registered for this event.")) from None
    profile_ensure(user=user)
    audit_log(
        actor=actor,
        action="participants.role_set",
        target=registration,
        data={"role": role, "event": event.slug, "user_id": user.pk},
    )
    return registration


@transaction.atomic
def registration_role_set(
    *, registration: Registration, actor, role: str, looking_for_team: bool | None = None
) -> Registration:
    """An organiser of the event sets a person's role there (and whether they look for
    a team). Only participants are in teams, so a team member stays a participant until
    they left their teams. The registration row is locked, as the team services lock
    it before adding someone, so a join and a role change never both win.

    Side effects: the row; an audit entry when the role changed.
    """
    _require_event_organiser(actor, registration.event)
    if role not in EventRole.values:
        raise ValueError(f"Unknown event role {role!r}.")  # the callers offer the choices
    locked = (
        Registration.objects.select_for_update(of=("self",))
        .select_related("event", "user")
        .get(pk=registration.pk)
    )
    if locked.role == EventRole.PARTICIPANT and role != EventRole.PARTICIPANT:
        teams = selectors.team_names_of(user_ids=[locked.user_id], event=locked.event)
        if teams:
            raise ParticipantError(in_team_message(locked, teams[locked.user_id]), field="role")
    changed_role = locked.role != role
    locked.role = role
    if looking_for_team is not None:
        locked.looking_for_team = bool(looking_for_team)
    if role != EventRole.PARTICIPANT:
        locked.looking_for_team = False  # mentors, jurors and organisers are not "looking"
    locked.save(update_fields=["role", "looking_for_team"])
    if changed_role:
        audit_log(
            actor=actor,
            action="participants.role_set",
            target=locked,
            data={"role": role, "event": locked.event.slug, "user_id": locked.user_id},
        )
    return locked


# ---------------------------------------------------------------- skills (curated by organisers)


SKILL_FIELDS = ("name", "slug", "category", "is_curated")


def _require_organiser(actor) -> None:
    if not rules.is_organiser(actor):
        raise ParticipantError(_("Only organisers can look after the list of skills."))


@transaction.atomic
def skill_create(*, actor, data: dict) -> Skill:
    """Adds a skill to the list (SKILL_FIELDS in `data`). Organisers only.

    Side effects: the skill; an audit entry.
    """
    _require_organiser(actor)
    skill = Skill(**{field: data[field] for field in SKILL_FIELDS if field in data})
    skill.save()
    audit_log(actor=actor, action="participants.skill_create", target=skill, data=_skill(skill))
    return skill


@transaction.atomic
def skill_update(*, skill: Skill, actor, data: dict) -> Skill:
    """Changes the SKILL_FIELDS named in `data`, e.g. takes a free tag into the curated
    list. Organisers only. Side effects: the skill; an audit entry naming the fields."""
    _require_organiser(actor)
    skill = Skill.objects.select_for_update().get(pk=skill.pk)
    changed = [field for field in SKILL_FIELDS if field in data]
    for field in changed:
        setattr(skill, field, data[field])
    skill.save(update_fields=changed)
    audit_log(
        actor=actor,
        action="participants.skill_update",
        target=skill,
        data={"fields": changed, **_skill(skill)},
    )
    return skill


@transaction.atomic
def skills_set_curated(*, skills: Iterable[Skill], actor, is_curated: bool) -> int:
    """Takes skills into the curated list (people pick them from it) or makes them free
    tags again; returns how many changed. Organisers only.

    Side effects: those skills; an audit entry each.
    """
    _require_organiser(actor)
    changed = list(
        Skill.objects.select_for_update()
        .filter(pk__in=[skill.pk for skill in skills])
        .exclude(is_curated=is_curated)
        .order_by("pk")
    )
    for skill in changed:
        skill.is_curated = is_curated
        skill.save(update_fields=["is_curated"])
        audit_log(
            actor=actor,
            action="participants.skill_curate",
            target=skill,
            data={"is_curated": is_curated},
        )
    return len(changed)


def _skill(skill: Skill) -> dict:
    return {"name": skill.name, "is_curated": skill.is_curated}


@transaction.atomic
def skill_delete(*, skill: Skill, actor) -> None:
    """Takes a skill off the list and off every profile and open role that had it.
    Organisers only. Side effects: an audit entry with its name and how many people had it."""
    _require_organiser(actor)
    skill = Skill.objects.select_for_update().filter(pk=skill.pk).first()
    if skill is None:
        return  # deleted meanwhile
    audit_log(
        actor=actor,
        action="participants.skill_delete",
        target=skill,
        data={**_skill(skill), "profiles": skill.profiles.count()},
    )
    skill.delete()


# ---------------------------------------------------------------- languages (curated by organisers)


def _language_list():
    """What a language's audit entry is about: the list of languages (its content type).
    A language's key is its code, and an audit entry's target id is a number."""
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(Language)


def _require_language_organiser(actor) -> None:
    if not rules.is_organiser(actor):
        raise ParticipantError(_("Only organisers can look after the list of languages."))


@transaction.atomic
def language_create(*, actor, code: str, name: str) -> Language:
    """Adds a language (ISO 639-1 code and name). Organisers only.
    Side effects: the language; an audit entry."""
    _require_language_organiser(actor)
    code = (code or "").strip().lower()
    if Language.objects.filter(code=code).exists():
        raise ParticipantError(_("This language is already on the list."), field="code")
    language = Language.objects.create(code=code, name=name)
    audit_log(
        actor=actor,
        action="participants.language_create",
        target=_language_list(),
        data={"code": code, "name": name},
    )
    return language


@transaction.atomic
def language_rename(*, language: Language, actor, name: str) -> Language:
    """Changes a language's name; its code stays (profiles and teams refer to it).
    Organisers only. Side effects: the language; an audit entry with both names."""
    _require_language_organiser(actor)
    language = Language.objects.select_for_update().get(pk=language.pk)
    previous = language.name
    language.name = name
    language.save(update_fields=["name"])
    audit_log(
        actor=actor,
        action="participants.language_rename",
        target=_language_list(),
        data={"code": language.code, "name": name, "previous_name": previous},
    )
    return language


# ---------------------------------------------------------------- profile


def split_tags(text: str) -> list[str]:
    """ "Rust, Figma , rust" → ["Rust", "Figma"] (first spelling wins, case-insensitively)."""
    seen: dict[str, str] = {}
    for raw in (text or "").replace(";", ",").split(","):
        name = " ".join(raw.split())
        if name and name.lower() not in seen:
            seen[name.lower()] = name
    return list(seen.values())


def _free_slug(name: str) -> str:
    base = (slugify(name) or "skill")[:50]
    slug, number = base, 2
    while Skill.objects.filter(slug=slug).exists():
        slug = f"{base}-{number}"
        number += 1
    return slug


def skills_for_tags(names: Iterable[str]) -> list[Skill]:
    """The skills with these names (case-insensitively), free tags created for new ones."""
    skills = []
    for name in names:
        name = name[:MAX_TAG_LENGTH]
        skill = Skill.objects.annotate(lower=Lower("name")).filter(lower=name.lower()).first()
        if skill is None:
            try:
                with transaction.atomic():
                    skill = Skill.objects.create(name=name, slug=_free_slug(name), is_curated=False)
            except IntegrityError:
                # Someone created the same tag a moment ago.
                skill = (
                    Skill.objects.annotate(lower=Lower("name")).filter(lower=name.lower()).first()
                )
                if skill is None:
                    raise ParticipantError(
                        _("Please try again: this skill was just being created."),
                        field="free_skills",
                    ) from None
        skills.append(skill)
    return skills


# What organisers may change on someone's profile: its text and who sees it.
MODERATION_FIELDS = ("bio", "visibility")


@transaction.atomic
def profile_moderate(*, profile: Profile, actor, data: dict) -> Profile:
    """Moderation of a profile that breaks the code of conduct: organisers clear or
    correct its bio and hide it (visibility "team admins and organisers only").
    Only the MODERATION_FIELDS named in `data`; the rest stays the person's own.

    Side effects: the profile; an audit entry with the changed fields and the bio before,
    so nothing a person wrote is lost without a trace.
    """
    if not rules.is_organiser(actor):
        raise ParticipantError(_("Only organisers can moderate profiles."))
    profile = Profile.objects.select_for_update().get(pk=profile.pk)
    bio = (data.get("bio", profile.bio) or "").strip()
    if len(bio) > MAX_BIO_LENGTH:
        raise ParticipantError(
            _("Please keep your bio to %(max)d characters.") % {"max": MAX_BIO_LENGTH}, field="bio"
        )
    visibility = data.get("visibility", profile.visibility)
    if visibility not in ProfileVisibility.values:
        raise ParticipantError(_("Please choose who may see your profile."), field="visibility")
    previous = {"bio": profile.bio, "visibility": profile.visibility}
    profile.bio, profile.visibility = bio, visibility
    changed = [field for field in MODERATION_FIELDS if getattr(profile, field) != previous[field]]
    if not changed:
        return profile
    profile.save(update_fields=[*changed, "updated_at"])
    audit_log(
        actor=actor,
        action="participants.profile_moderate",
        target=profile,
        data={"fields": changed, "previous": {field: previous[field] for field in changed}},
    )
    return profile


@transaction.atomic
def profile_update(
    *,
    user,
    bio: str = "",
    skills: Iterable[Skill] = (),
    free_skills: Iterable[str] = (),
    topic_interests: Iterable[Topic] = (),
    languages: Iterable[Language] = (),
    region: str = "",
    availability: str = "",
    visibility: str = ProfileVisibility.PARTICIPANTS,
) -> Profile:
    """Saves what the person tells others about themselves.

    `skills` are picked from the curated list; `free_skills` are typed names, reused
    when a skill of that name exists and otherwise created as non-curated tags. At most
    MAX_SKILLS in all. Topic interests must belong to events the person registered for.
    Side effects: may create Skill rows.
    """
    _require_signed_in(user)
    bio = (bio or "").strip()
    if len(bio) > MAX_BIO_LENGTH:
        raise ParticipantError(
            _("Please keep your bio to %(max)d characters.") % {"max": MAX_BIO_LENGTH}, field="bio"
        )
    if region and region not in State.values:
        raise ParticipantError(_("Please choose a federal state from the list."), field="region")
    if availability and availability not in Availability.values:
        raise ParticipantError(
            _("Please choose an availability from the list."), field="availability"
        )
    if visibility not in ProfileVisibility.values:
        raise ParticipantError(_("Please choose who may see your profile."), field="visibility")
    topics = list(topic_interests)
    allowed_topics = set(selectors.topics_for_profile(user=user).values_list("pk", flat=True))
    if any(topic.pk not in allowed_topics for topic in topics):
        raise ParticipantError(
            _("You can only pick topic fields of events you registered for."),
            field="topic_interests",
        )
    curated = list(skills)
    if any(not skill.is_curated for skill in curated):
        raise ParticipantError(_("Please pick skills from the list."), field="skills")
    tag_names = split_tags(", ".join(free_skills))
    if any(len(name) > MAX_TAG_LENGTH for name in tag_names):
        raise ParticipantError(
            _("A skill can be at most %(max)d characters long.") % {"max": MAX_TAG_LENGTH},
            field="free_skills",
        )
    curated_names = {skill.name.lower() for skill in curated}
    tag_names = [name for name in tag_names if name.lower() not in curated_names]
    if len(curated) + len(tag_names) > MAX_SKILLS:
        raise ParticipantError(
            _("Please choose at most %(max)d skills.") % {"max": MAX_SKILLS}, field="free_skills"
        )
    all_skills = {skill.pk: skill for skill in [*curated, *skills_for_tags(tag_names)]}

    profile = profile_ensure(user=user)
    profile.bio = bio
    profile.region = region
    profile.availability = availability
    profile.visibility = visibility
    profile.save(update_fields=["bio", "region", "availability", "visibility", "updated_at"])
    profile.skills.set(all_skills.values())
    profile.topic_interests.set(topics)
    profile.languages.set(list(languages))
    return profile
