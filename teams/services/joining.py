"""Joining a team: requests the admins answer, and invitation links."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_log
from notifications.services import notify, notify_many
from participants.enums import EventRole
from participants.models import Registration
from participants.rules import can_view_profile
from participants.selectors import profile_of
from teams import rules
from teams.enums import JoinRequestStatus, TeamStatus
from teams.models import Invitation, JoinRequest, Membership, Team
from teams.selectors import is_settled
from teams.services._base import (
    INVITATION_VALID_FOR,
    TeamError,
    _add_member,
    _admins,
    _lock_registration,
    _lock_team,
    _manage_url,
    _require,
    _require_open,
    _require_room_for_person,
    _team_context,
)

# --- join requests --------------------------------------------------------------------------


@transaction.atomic
def join_request_create(*, team: Team, user, message: str = "") -> JoinRequest:
    """Asks to join the team. Registered participants who are not in it (nor in as many
    teams as allowed), while the team is open and has room; one pending request per team.

    Side effects: the request; an audit entry; a notification to each team admin.
    """
    if not getattr(user, "is_authenticated", False):
        raise TeamError(_("Please log in to ask to join a team."))
    event = team.event
    _lock_registration(event=event, user=user)
    team.refresh_from_db(fields=["status", "member_count", "max_size"])
    _require_open(team)
    if rules.is_team_member(user, team):
        raise TeamError(_("You are already a member of this team."))
    if team.member_count >= team.max_size:
        raise TeamError(_("This team is full."))
    _require_room_for_person(event=event, user=user, myself=True)
    if JoinRequest.objects.filter(
        team=team, user_id=user.pk, status=JoinRequestStatus.PENDING
    ).exists():
        raise TeamError(_("You have already asked to join this team."))
    try:
        with transaction.atomic():
            join_request = JoinRequest.objects.create(
                team=team, user=user, message=(message or "").strip()
            )
    except IntegrityError:  # the same person's second click, a moment later
        raise TeamError(_("You have already asked to join this team.")) from None
    audit_log(
        actor=user,
        action="team.join_request",
        target=team,
        data={"user": user.pk, "join_request": join_request.pk},
    )
    notify_many(
        recipients=_admins(team),
        kind="team.join_request_received",
        context=_team_context(
            team,
            url=_manage_url(team),
            person_name=user.public_name,
            message=join_request.message,
            join_request_id=join_request.pk,
        ),
    )
    return join_request


def _lock_pending(join_request: JoinRequest) -> JoinRequest:
    locked = (
        # Only the request's row: locking the joined team, event and person rows too would
        # serialise unrelated work (and FOR UPDATE on the event blocks every FK check).
        JoinRequest.objects.select_for_update(of=("self",))
        .select_related("team__event", "user")
        .get(pk=join_request.pk)
    )
    if locked.status != JoinRequestStatus.PENDING:
        raise TeamError(
            _("This request was already answered or withdrawn (%(status)s).")
            % {"status": locked.get_status_display()}
        )
    return locked


@transaction.atomic
def join_request_withdraw(*, join_request: JoinRequest, user) -> JoinRequest:
    """The person takes back their pending request. Side effects: status withdrawn; an
    audit entry."""
    if join_request.user_id != getattr(user, "pk", None):
        raise TeamError(_("This is not your request."))
    join_request = _lock_pending(join_request)
    join_request.status = JoinRequestStatus.WITHDRAWN
    join_request.decided_at = timezone.now()
    join_request.save(update_fields=["status", "decided_at"])
    audit_log(
        actor=user,
        action="team.join_request_withdraw",
        target=join_request.team,
        data={"user": join_request.user_id, "join_request": join_request.pk},
    )
    return join_request


@transaction.atomic
def join_request_accept(*, join_request: JoinRequest, actor) -> Membership:
    """A team admin lets the person in. Refused when the team is closed or full, or the
    person meanwhile is in as many teams as allowed (the request then stays pending).

    Side effects: the membership and member_count + 1; status accepted; the person's other
    pending requests withdrawn once they are settled; an audit entry; a notification to
    the person.
    """
    team = join_request.team
    _require(rules.can_manage_requests, actor, team, _("Only the team's admins can answer."))
    # Locks in the one order every service uses (person, team, then requests), so an
    # accept never deadlocks with closing the team or the person's other requests.
    _lock_registration(event=team.event, user=join_request.user, myself=False)
    team = _lock_team(team)
    join_request = _lock_pending(join_request)
    membership = _add_member(team=team, user=join_request.user, myself=False)
    join_request.status = JoinRequestStatus.ACCEPTED
    join_request.decided_at = timezone.now()
    join_request.decided_by = actor
    join_request.save(update_fields=["status", "decided_at", "decided_by"])
    audit_log(
        actor=actor,
        action="team.join_request_accept",
        target=team,
        data={"user": join_request.user_id, "join_request": join_request.pk},
    )
    notify(
        recipient=join_request.user,
        kind="team.join_request_accepted",
        context=_team_context(team, actor_name=actor.public_name),
    )
    return membership


@transaction.atomic
def join_request_decline(*, join_request: JoinRequest, actor) -> JoinRequest:
    """A team admin says no. Side effects: status declined; an audit entry; a notification
    to the person."""
    team = join_request.team
    _require(rules.can_manage_requests, actor, team, _("Only the team's admins can answer."))
    join_request = _lock_pending(join_request)
    join_request.status = JoinRequestStatus.DECLINED
    join_request.decided_at = timezone.now()
    join_request.decided_by = actor
    join_request.save(update_fields=["status", "decided_at", "decided_by"])
    audit_log(
        actor=actor,
        action="team.join_request_decline",
        target=join_request.team,
        data={"user": join_request.user_id, "join_request": join_request.pk},
    )
    notify(
        recipient=join_request.user,
        kind="team.join_request_declined",
        context=_team_context(join_request.team),
    )
    return join_request


@transaction.atomic
def join_requests_withdraw_of_person(*, event, user) -> int:
    """Withdraws the person's pending join requests in the event, e.g. because they
    unregistered from it. Returns how many. Side effects: those requests withdrawn."""
    return JoinRequest.objects.filter(
        team__event=event, user_id=user.pk, status=JoinRequestStatus.PENDING
    ).update(status=JoinRequestStatus.WITHDRAWN, decided_at=timezone.now())


# --- invitations ----------------------------------------------------------------------------


@transaction.atomic
def invitation_create(
    *, team: Team, actor, valid_for: timedelta = INVITATION_VALID_FOR, invitee=None
) -> Invitation:
    """A link whoever has it can use to join, until it expires (7 days) or is revoked.

    With `invitee` it is a personal invitation: only that person can use it, once. They
    must be a registered participant of the event whose profile the admin may see, not
    in the team nor in as many teams as allowed, and the team must have room; one valid
    personal invitation per team and person.
    Side effects: the invitation with a random token; an audit entry; for a personal one,
    a notification to the invited person (team.invitation) with the link.
    """
    team = _lock_team(team)
    _require_open(team)
    _require(rules.can_manage_members, actor, team, _("Only the team's admins can invite."))
    if valid_for <= timedelta(0) or valid_for > timedelta(days=60):
        raise TeamError(_("An invitation is valid for 1 to 60 days."), field="valid_days")
    if invitee is not None:
        _require_invitable(team=team, actor=actor, invitee=invitee)
    invitation = Invitation.objects.create(
        team=team,
        token=secrets.token_urlsafe(32),
        created_by=actor,
        invitee=invitee,
        expires_at=timezone.now() + valid_for,
    )
    audit_log(
        actor=actor,
        action="team.invitation_create",
        target=team,
        data={
            "invitation": invitation.pk,
            "invitee": invitee.pk if invitee is not None else None,
            "expires_at": invitation.expires_at.isoformat(),
        },
    )
    if invitee is not None:
        notify(
            recipient=invitee,
            kind="team.invitation",
            context=_team_context(
                team,
                url=reverse("teams:invitation", kwargs={"token": invitation.token}),
                inviter_name=actor.public_name,
                invitation_id=invitation.pk,
            ),
        )
    return invitation


def _require_invitable(*, team: Team, actor, invitee) -> None:
    """Refuses a personal invitation nobody could use, with a message the admin can act on."""
    registered = Registration.objects.filter(
        event=team.event, user_id=invitee.pk, role=EventRole.PARTICIPANT
    ).exists()
    # The same people the admin can find: a hidden profile must not be reachable by id.
    profile = profile_of(user=invitee)
    if not (registered and invitee.is_active and can_view_profile(actor, profile)):
        raise TeamError(
            _("You can only invite participants of this event whose profile you can see."),
            field="invitee",
        )
    name = invitee.public_name
    if rules.is_team_member(invitee, team):
        raise TeamError(
            _("%(name)s is already a member of this team.") % {"name": name}, field="invitee"
        )
    if team.member_count >= team.max_size:
        raise TeamError(_("This team is full."))
    if is_settled(event=team.event, user=invitee):
        raise TeamError(
            _("%(name)s is already in as many teams of this event as allowed.") % {"name": name},
            field="invitee",
        )
    already = Invitation.objects.filter(
        team=team,
        invitee_id=invitee.pk,
        uses=0,
        revoked_at__isnull=True,
        expires_at__gt=timezone.now(),
    ).exists()
    if already:
        raise TeamError(
            _("%(name)s already has an invitation to this team.") % {"name": name},
            field="invitee",
        )


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, actor) -> Invitation:
    """The link stops working. Idempotent. Side effects: revoked_at; an audit entry (the
    first time)."""
    team = _lock_team(invitation.team)
    _require(rules.can_manage_members, actor, team, _("Only the team's admins can revoke."))
    if invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        revoked = Invitation.objects.filter(pk=invitation.pk, revoked_at__isnull=True).update(
            revoked_at=invitation.revoked_at
        )
        if revoked:
            audit_log(
                actor=actor,
                action="team.invitation_revoke",
                target=team,
                data={"invitation": invitation.pk},
            )
    return invitation


def invitation_problem(invitation: Invitation | None, *, user=None) -> str | None:
    """Why this invitation cannot be used (by `user`, when given), or None when it can."""
    if invitation is None:
        return _("This invitation link is not valid. Ask the team for a new one.")
    if invitation.revoked_at is not None:
        return _("This invitation was withdrawn by the team. Ask them for a new link.")
    if invitation.is_used_up:
        return _("This personal invitation has already been used.")
    if not invitation.is_valid():
        return _("This invitation has expired. Ask the team for a new link.")
    if invitation.team.status != TeamStatus.OPEN:
        return _("This team is closed.")
    if (
        invitation.is_personal
        and getattr(user, "is_authenticated", False)
        and user.pk != invitation.invitee_id
    ):
        return _(
            "This invitation was sent to another person; only they can use it. "
            "Ask the team to invite you, or ask to join on the team page."
        )
    return None


@transaction.atomic
def invitation_accept(*, token: str, user) -> Membership:
    """Joins the team of a valid invitation, with the same rules as an accepted request;
    a personal invitation only for the person it was sent to, and only once.

    Side effects: the membership and member_count + 1; the invitation's use counted; a
    pending request of the person to this team is marked accepted; their other pending
    requests withdrawn once settled; an audit entry; a notification to the team admins.
    """
    if not getattr(user, "is_authenticated", False):
        raise TeamError(_("Please log in to join a team."))
    invitation = Invitation.objects.select_related("team__event").filter(token=token).first()
    problem = invitation_problem(invitation, user=user)
    if problem:
        raise TeamError(problem)
    team = invitation.team
    membership = _add_member(team=team, user=user, myself=True)
    counted = Invitation.objects.filter(pk=invitation.pk)
    if invitation.is_personal:
        # Used once: the conditional update lets exactly one acceptance count.
        counted = counted.filter(uses=0)
    if not counted.update(uses=F("uses") + 1):
        raise TeamError(_("This personal invitation has already been used."))
    JoinRequest.objects.filter(team=team, user_id=user.pk, status=JoinRequestStatus.PENDING).update(
        status=JoinRequestStatus.ACCEPTED, decided_at=timezone.now()
    )
    audit_log(
        actor=user,
        action="team.invitation_accept",
        target=team,
        data={"user": user.pk, "invitation": invitation.pk},
    )
    notify_many(
        recipients=_admins(team),
        kind="team.invitation_used",
        context=_team_context(team, url=_manage_url(team), person_name=user.public_name),
    )
    return membership
