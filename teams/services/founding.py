"""Founding, changing and closing teams, and their open roles."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_log
from challenges.enums import ChallengeStatus
from challenges.models import Challenge
from events.models import Event
from notifications.services import notify_many
from participants.models import Language, Skill
from teams import rules
from teams.enums import JoinRequestStatus, MemberRole, TeamStatus
from teams.models import Invitation, JoinRequest, Membership, OpenRole, Team
from teams.services._base import (
    EDITABLE_FIELDS,
    TeamError,
    _check_max_size,
    _clean_name,
    _lock_registration,
    _lock_team,
    _require,
    _require_open,
    _require_room_for_person,
    _require_unique_name,
    _save_team,
    _team_context,
    _user_or_none,
    _withdraw_requests_when_settled,
)
from teams.signals import team_closed

# --- teams ----------------------------------------------------------------------------------


@transaction.atomic
def team_create(*, event: Event, challenge: Challenge, founder, data: dict) -> Team:
    """Founds a team for a published challenge of the event; the founder becomes its admin.

    `data`: name, pitch, and optionally languages (Language objects or codes), chat_link,
    max_size (at most the event's team size, which is the default).
    Side effects: the team and the founder's admin membership (member_count 1), an audit
    entry; the founder's pending join requests elsewhere are withdrawn once they are in
    as many teams as allowed.
    """
    if not getattr(founder, "is_authenticated", False):
        raise TeamError(_("Please log in to start a team."))
    if challenge.event_id != event.pk:
        raise TeamError(_("This challenge belongs to another event."), field="challenge")
    if challenge.status != ChallengeStatus.PUBLISHED:
        raise TeamError(_("Teams can only work on published challenges."), field="challenge")
    _lock_registration(event=event, user=founder)
    _require_room_for_person(event=event, user=founder, myself=True)
    name = _clean_name(data.get("name", ""))
    _require_unique_name(event=event, name=name)
    team = Team(
        event=event,
        challenge=challenge,
        name=name,
        pitch=data.get("pitch", ""),
        chat_link=data.get("chat_link", "") or "",
        max_size=_check_max_size(event=event, max_size=data.get("max_size"), member_count=1),
        member_count=1,
    )
    _save_team(team)
    Membership.objects.create(team=team, user=founder, event=event, role=MemberRole.ADMIN)
    if data.get("languages") is not None:
        team.languages.set(_languages(data["languages"]))
    audit_log(actor=founder, action="team.create", target=team, data={"challenge": challenge.pk})
    _withdraw_requests_when_settled(event=event, user=founder, joined=team)
    return team


def _languages(values: Iterable) -> list[Language]:
    values = list(values)
    codes = [value.pk if isinstance(value, Language) else value for value in values]
    found = list(Language.objects.filter(code__in=codes))
    if len(found) != len(set(codes)):
        raise TeamError(_("Unknown language."), field="languages")
    return found


@transaction.atomic
def team_update(*, team: Team, actor, data: dict) -> Team:
    """Changes name, pitch, chat link, languages or maximum size. Team admins and organisers.

    Side effects: saves the team; an audit entry naming the changed fields.
    """
    team = _lock_team(team)
    _require(rules.can_edit_team, actor, team, _("Only the team's admins can edit it."))
    changed = [field for field in EDITABLE_FIELDS if field in data]
    if "name" in data:
        data = {**data, "name": _clean_name(data["name"])}
        _require_unique_name(event=team.event, name=data["name"], exclude=team)
    if "max_size" in data:
        data = {
            **data,
            "max_size": _check_max_size(
                event=team.event, max_size=data["max_size"], member_count=team.member_count
            ),
        }
    for field in changed:
        setattr(team, field, data[field] if data[field] is not None else "")
    _save_team(team, update_fields=[*changed, "updated_at"])
    if data.get("languages") is not None:
        team.languages.set(_languages(data["languages"]))
        changed.append("languages")
    audit_log(actor=actor, action="team.update", target=team, data={"fields": changed})
    return team


def _close(team: Team, *, actor, reason: str) -> list:
    """Dissolves the team; returns the people who were still in it.

    Also ends the pending join requests (each requester is told), revokes the
    invitations and sends `teams.signals.team_closed`, on which other apps end what
    belongs to the team (mentoring closes its help requests).
    """
    now = timezone.now()
    memberships = list(team.memberships.select_related("user"))
    team.memberships.all().delete()
    Team.objects.filter(pk=team.pk).update(
        status=TeamStatus.CLOSED, closed_at=now, member_count=0, updated_at=now
    )
    team.status, team.closed_at, team.member_count = TeamStatus.CLOSED, now, 0
    pending = JoinRequest.objects.select_for_update(of=("self",)).filter(
        team=team, status=JoinRequestStatus.PENDING
    )
    requesters = [join_request.user for join_request in pending.select_related("user")]
    pending.update(
        status=JoinRequestStatus.DECLINED, decided_at=now, decided_by=_user_or_none(actor)
    )
    Invitation.objects.filter(team=team, revoked_at__isnull=True).update(revoked_at=now)
    audit_log(
        actor=actor,
        action="team.close",
        target=team,
        data={"reason": reason, "members": [m.user_id for m in memberships]},
    )
    notify_many(
        recipients=requesters,
        kind="team.join_request_declined",
        context=_team_context(team, reason="team_closed"),
    )
    team_closed.send(sender=Team, team_id=team.pk, actor=_user_or_none(actor))
    return [m.user for m in memberships]


@transaction.atomic
def team_close(*, team: Team, actor) -> Team:
    """Closes (dissolves) the team: its members are free to join other teams, nobody can
    join it any more, the page stays with its pitch. Admins and organisers.

    Side effects: every membership deleted, member_count 0, status closed and closed_at;
    pending join requests declined and open invitations revoked; an audit entry listing
    the former members; a notification to each of them except the one who closed it.
    """
    team = _lock_team(team)
    _require_open(team)
    _require(rules.can_close_team, actor, team, _("Only the team's admins can close it."))
    former = _close(team, actor=actor, reason="closed by admin")
    notify_many(
        recipients=[user for user in former if user.pk != actor.pk],
        kind="team.closed",
        context=_team_context(team, actor_name=actor.public_name),
    )
    return team


@transaction.atomic
def team_delete(*, team: Team, actor) -> None:
    """Deletes the team and everything that belongs to it (its project, help requests,
    extension). Only administrators (superusers), for what must not stay on the site at
    all; everyone else closes a team, which keeps its page.

    Side effects: an open team is dissolved first as by team_close (join requests
    declined and their requesters told, invitations revoked, `team_closed` sent) and its
    members but the actor are told it was closed; an audit entry `team.delete` with the
    team's name, event, challenge and former members, which outlives the team.
    """
    if not getattr(actor, "is_superuser", False):
        raise TeamError(_("Only administrators can delete a team; close it instead."))
    team = _lock_team(team)
    former = _close(team, actor=actor, reason="deleted") if team.status == TeamStatus.OPEN else []
    audit_log(
        actor=actor,
        action="team.delete",
        target=team,
        data={
            "name": team.name,
            "event": team.event_id,
            "challenge": team.challenge_id,
            "members": [user.pk for user in former],
        },
    )
    # Told as for a closed team, without a link: the team's page is gone.
    notify_many(
        recipients=[user for user in former if user.pk != actor.pk],
        kind="team.closed",
        context={"team_id": team.pk, "team_name": team.name, "actor_name": actor.public_name},
    )
    team.delete()


# --- open roles -----------------------------------------------------------------------------


MAX_SKILL_NAMES = 10


def _skills(values: Iterable, names: Iterable[str] = ()) -> list[Skill]:
    """The chosen skills plus free tags by name (created by the participants app if new)."""
    from participants.services import MAX_TAG_LENGTH, skills_for_tags, split_tags

    values = list(values)
    ids = [value.pk if isinstance(value, Skill) else value for value in values]
    found = list(Skill.objects.filter(pk__in=ids))
    if len(found) != len(set(ids)):
        raise TeamError(_("Unknown skill."), field="skills")
    names = split_tags(", ".join(names))
    if len(names) > MAX_SKILL_NAMES:
        raise TeamError(
            _("Name at most %(count)d further skills.") % {"count": MAX_SKILL_NAMES},
            field="other_skills",
        )
    if any(len(name) > MAX_TAG_LENGTH for name in names):
        raise TeamError(
            _("A skill can be at most %(max)d characters long.") % {"max": MAX_TAG_LENGTH},
            field="other_skills",
        )
    return list({skill.pk: skill for skill in [*found, *skills_for_tags(names)]}.values())


@transaction.atomic
def open_role_create(
    *,
    team: Team,
    actor,
    title: str,
    description: str = "",
    skills: Iterable = (),
    skill_names: Iterable[str] = (),
) -> OpenRole:
    """Adds a role the team wants filled, with curated skills and free ones by name.
    Team admins and organisers. Side effects: the row; new free skill tags."""
    team = _lock_team(team)
    _require(rules.can_edit_team, actor, team, _("Only the team's admins can edit it."))
    if not title.strip():
        raise TeamError(_("Give the role a title."), field="title")
    wanted = _skills(skills, skill_names)
    role = OpenRole.objects.create(team=team, title=title.strip(), description=description)
    role.skills.set(wanted)
    return role


@transaction.atomic
def open_role_update(
    *,
    role: OpenRole,
    actor,
    title: str,
    description: str = "",
    skills: Iterable = (),
    skill_names: Iterable[str] = (),
) -> OpenRole:
    """Changes an open role (its skills are replaced). Team admins and organisers.
    Side effects: the row; new free skill tags."""
    team = _lock_team(role.team)
    _require(rules.can_edit_team, actor, team, _("Only the team's admins can edit it."))
    if not title.strip():
        raise TeamError(_("Give the role a title."), field="title")
    wanted = _skills(skills, skill_names)
    role.title, role.description = title.strip(), description
    role.save(update_fields=["title", "description"])
    role.skills.set(wanted)
    return role


@transaction.atomic
def open_role_delete(*, role: OpenRole, actor) -> None:
    """Removes an open role (filled or no longer needed). Team admins and organisers."""
    team = _lock_team(role.team)
    _require(rules.can_edit_team, actor, team, _("Only the team's admins can edit it."))
    role.delete()
