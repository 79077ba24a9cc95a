"""Leaving, removing members and handing the admin role on."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_log
from notifications.services import notify, notify_many
from teams import rules
from teams.enums import MemberRole, TeamStatus
from teams.models import Membership, Team
from teams.services._base import (
    TeamError,
    _admins,
    _lock_team,
    _manage_url,
    _require,
    _require_open,
    _team_context,
)
from teams.services.founding import _close

# --- leaving, removing, admins ----------------------------------------------------------------


def _after_departure(team: Team, *, actor, was_admin: bool) -> Membership | None:
    """Keeps the team consistent after a member went: member_count − 1; the longest
    member becomes admin when the last admin left (and is told: team.admin_promoted);
    the team closes when nobody is left. Returns the membership that was promoted, if any."""
    Team.objects.filter(pk=team.pk).update(
        member_count=F("member_count") - 1, updated_at=timezone.now()
    )
    team.refresh_from_db(fields=["member_count"])
    if team.member_count == 0:
        if team.status == TeamStatus.OPEN:
            _close(team, actor=actor, reason="last member left")
        return None
    if not was_admin or Membership.objects.filter(team=team, role=MemberRole.ADMIN).exists():
        return None
    successor = (
        Membership.objects.filter(team=team)
        .select_related("user")
        .order_by("joined_at", "pk")
        .first()
    )
    successor.role = MemberRole.ADMIN
    successor.save(update_fields=["role"])
    audit_log(
        actor=actor,
        action="team.admin_hand_over",
        target=team,
        data={"to": successor.user_id, "reason": "last admin left"},
    )
    notify(
        recipient=successor.user,
        kind="team.admin_promoted",
        context=_team_context(team, url=_manage_url(team)),
    )
    return successor


@transaction.atomic
def membership_leave(*, team: Team, user) -> None:
    """The person leaves the team. Side effects: membership deleted, member_count − 1; the
    longest member becomes admin when the last admin left; the team closes when it is
    empty; an audit entry; a notification to the remaining admins.
    """
    team = _lock_team(team)
    membership = Membership.objects.filter(team=team, user_id=getattr(user, "pk", None)).first()
    if membership is None:
        raise TeamError(_("You are not a member of this team."))
    was_admin = membership.role == MemberRole.ADMIN
    membership.delete()
    audit_log(actor=user, action="team.member_leave", target=team, data={"user": user.pk})
    _after_departure(team, actor=user, was_admin=was_admin)
    if team.member_count and team.status == TeamStatus.OPEN:
        notify_many(
            recipients=_admins(team),
            kind="team.member_left",
            context=_team_context(team, person_name=user.public_name),
        )


@transaction.atomic
def membership_remove(*, membership: Membership, actor) -> None:
    """A team admin (or an organiser) removes another member; admins leave instead.

    Side effects: membership deleted, member_count − 1 (with the same consequences as
    leaving); an audit entry; a notification to the removed person.
    """
    team = _lock_team(membership.team)
    _require(rules.can_manage_members, actor, team, _("Only the team's admins can remove members."))
    membership = Membership.objects.select_related("user").filter(pk=membership.pk).first()
    if membership is None or membership.team_id != team.pk:
        raise TeamError(_("This person is no longer a member of the team."))
    if membership.user_id == actor.pk:
        raise TeamError(_("You cannot remove yourself; leave the team instead."))
    was_admin = membership.role == MemberRole.ADMIN
    removed = membership.user
    membership.delete()
    audit_log(actor=actor, action="team.member_remove", target=team, data={"user": removed.pk})
    _after_departure(team, actor=actor, was_admin=was_admin)
    notify(recipient=removed, kind="team.member_removed", context=_team_context(team))


@transaction.atomic
def admin_hand_over(*, team: Team, actor, to_user, step_down: bool = False) -> Membership:
    """Makes another member an admin; with `step_down` the acting admin becomes a plain
    member. A team always keeps at least one admin.

    Side effects: the roles; an audit entry.
    """
    team = _lock_team(team)
    _require(rules.can_manage_members, actor, team, _("Only the team's admins can do this."))
    _require_open(team)
    target = Membership.objects.filter(team=team, user_id=to_user.pk).first()
    if target is None:
        raise TeamError(_("%(name)s is not a member of this team.") % {"name": to_user.public_name})
    if target.role != MemberRole.ADMIN:
        target.role = MemberRole.ADMIN
        target.save(update_fields=["role"])
    stepped_down = False
    if step_down and to_user.pk != actor.pk:
        own = Membership.objects.filter(team=team, user_id=actor.pk, role=MemberRole.ADMIN).first()
        if own is not None:
            own.role = MemberRole.MEMBER
            own.save(update_fields=["role"])
            stepped_down = True
    audit_log(
        actor=actor,
        action="team.admin_hand_over",
        target=team,
        data={"to": to_user.pk, "stepped_down": stepped_down},
    )
    return target


@transaction.atomic
def membership_role_set(*, membership: Membership, actor, role: str) -> Membership:
    """Sets a member's role, e.g. an organiser in the admin. Making someone admin is a
    hand-over (admin_hand_over); an admin becomes a plain member only while another
    admin remains, so a team always keeps one.

    Side effects: the role; an audit entry (team.admin_hand_over or team.admin_step_down).
    """
    if role not in MemberRole.values:
        raise ValueError(f"Unknown team role {role!r}.")  # the callers offer the choices
    if role == MemberRole.ADMIN:
        return admin_hand_over(team=membership.team, actor=actor, to_user=membership.user)
    team = _lock_team(membership.team)
    _require(rules.can_manage_members, actor, team, _("Only the team's admins can do this."))
    current = Membership.objects.select_related("user").filter(pk=membership.pk).first()
    if current is None or current.team_id != team.pk:
        raise TeamError(_("This person is no longer a member of the team."))
    if current.role == role:
        return current
    if (
        not Membership.objects.filter(team=team, role=MemberRole.ADMIN)
        .exclude(pk=current.pk)
        .exists()
    ):
        raise TeamError(_("A team with members needs at least one admin."), field="role")
    current.role = role
    current.save(update_fields=["role"])
    audit_log(
        actor=actor, action="team.admin_step_down", target=team, data={"user": current.user_id}
    )
    return current
