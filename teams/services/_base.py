"""The shared part of the team services: the domain error, locks and the race-safe join."""

from __future__ import annotations

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from events.models import Event
from hackathon.errors import DomainError
from participants.enums import EventRole
from participants.models import Registration
from teams.enums import JoinRequestStatus, MemberRole, TeamStatus
from teams.models import JoinRequest, Membership, Team
from teams.selectors import is_settled

INVITATION_VALID_FOR = timedelta(days=7)
EDITABLE_FIELDS = ("name", "pitch", "chat_link", "max_size")


class TeamError(DomainError):
    """An action on a team that is not allowed now; the message says why."""


# --- helpers --------------------------------------------------------------------------------


def _lock_registration(*, event: Event, user, myself: bool = True) -> Registration:
    """The person's participant registration, locked until the transaction ends.

    Locking it serialises everything one person does in one event (founding, joining
    by request or invitation), which is what keeps them within `teams_per_person`.
    `myself` says whether the person acts themselves or an admin acts for them (the
    message then names the person, so the admin does not read it as about themselves).
    """
    registration = (
        Registration.objects.select_for_update()
        .filter(event=event, user_id=user.pk, role=EventRole.PARTICIPANT)
        .first()
    )
    if registration is None:
        if not myself:
            raise TeamError(
                _("%(name)s is no longer registered as a participant of this event.")
                % {"name": user.public_name}
            )
        raise TeamError(_("Only people registered as participants of this event can join teams."))
    return registration


def _require_room_for_person(*, event: Event, user, myself: bool) -> None:
    if is_settled(event=event, user=user):
        if myself:
            raise TeamError(
                _("You are already in a team of this event. Leave it first to join another.")
                if event.teams_per_person == 1
                else _("You are already in %(count)d teams of this event, the most allowed.")
                % {"count": event.teams_per_person}
            )
        raise TeamError(
            _("%(name)s has meanwhile joined another team and cannot join this one.")
            % {"name": user.public_name}
        )


def _add_member(*, team: Team, user, role: str = MemberRole.MEMBER, myself: bool) -> Membership:
    """Adds the person to the team, race-safe. Must run inside a transaction.

    `myself` says whether the person acts themselves (the messages address them) or an
    admin acts for them (accepting their request).
    """
    event = team.event
    _lock_registration(event=event, user=user, myself=myself)
    if Membership.objects.filter(team=team, user_id=user.pk).exists():
        raise TeamError(
            _("You are already a member of this team.")
            if myself
            else _("%(name)s is already a member of this team.") % {"name": user.public_name}
        )
    _require_room_for_person(event=event, user=user, myself=myself)
    added = Team.objects.filter(
        pk=team.pk, status=TeamStatus.OPEN, member_count__lt=F("max_size")
    ).update(member_count=F("member_count") + 1, updated_at=timezone.now())
    if not added:
        team.refresh_from_db(fields=["status", "member_count", "max_size"])
        if team.status != TeamStatus.OPEN:
            raise TeamError(_("This team is closed."))
        raise TeamError(_("This team is full."))
    membership = Membership.objects.create(team=team, user=user, event=event, role=role)
    team.refresh_from_db(fields=["member_count", "updated_at"])
    _withdraw_requests_when_settled(event=event, user=user, joined=team)
    return membership


def _withdraw_requests_when_settled(*, event: Event, user, joined: Team) -> None:
    """Once a person is in as many teams as allowed, their other pending requests go."""
    if not is_settled(event=event, user=user):
        return
    JoinRequest.objects.filter(
        team__event=event, user_id=user.pk, status=JoinRequestStatus.PENDING
    ).exclude(team=joined).update(status=JoinRequestStatus.WITHDRAWN, decided_at=timezone.now())


def _admins(team: Team, *, exclude=None) -> list:
    memberships = Membership.objects.filter(team=team, role=MemberRole.ADMIN).select_related("user")
    if exclude is not None:
        memberships = memberships.exclude(user_id=exclude.pk)
    return [membership.user for membership in memberships]


def _team_context(team: Team, **extra) -> dict:
    return {
        "team_id": team.pk,
        "team_name": team.name,
        "url": team.get_absolute_url(),
        **extra,
    }


def _manage_url(team: Team) -> str:
    from django.urls import reverse

    return reverse("teams:manage", kwargs={"pk": team.pk})


def _lock_team(team: Team) -> Team:
    return Team.objects.select_for_update(of=("self",)).select_related("event").get(pk=team.pk)


def _require(predicate, actor, team: Team, message: str) -> None:
    if not predicate(actor, team):
        raise TeamError(message)


def _require_open(team: Team) -> None:
    if team.status != TeamStatus.OPEN:
        raise TeamError(_("This team is closed."))


def _clean_name(name: str) -> str:
    return " ".join((name or "").split())


def _require_unique_name(*, event: Event, name: str, exclude: Team | None = None) -> None:
    others = Team.objects.filter(event=event, name__iexact=name)
    if exclude is not None:
        others = others.exclude(pk=exclude.pk)
    if others.exists():
        raise TeamError(
            _("There is already a team called “%(name)s” in this event.") % {"name": name},
            field="name",
        )


def _check_max_size(*, event: Event, max_size: int | None, member_count: int) -> int:
    if max_size is None:
        return event.team_max_size
    if max_size > event.team_max_size:
        raise TeamError(
            _("Teams in this event have at most %(max)d members.") % {"max": event.team_max_size},
            field="max_size",
        )
    if max_size < max(member_count, 1):
        raise TeamError(
            _("The team already has %(count)d members; the maximum cannot be lower.")
            % {"count": member_count},
            field="max_size",
        )
    return max_size


def _save_team(team: Team, *, update_fields: list[str] | None = None) -> None:
    """Saves, turning a lost race for the team name into a readable error."""
    try:
        with transaction.atomic():
            team.save(update_fields=update_fields)
    except IntegrityError:
        raise TeamError(
            _("There is already a team called “%(name)s” in this event.") % {"name": team.name},
            field="name",
        ) from None


def _user_or_none(user):
    return user if getattr(user, "is_authenticated", False) else None
