"""Inviting jurors by e-mail, accepting the signed link, and a juror's own profile.

An organiser invites an address; the mail carries a signed link naming the invitation
(django.core.signing, salted, valid INVITATION_VALID_DAYS). The address may belong to
nobody yet: then the mail goes through the outbox as a mail-only row addressed to it
(notifications.services.notify_address), rendered in the invitation's language. If a
person with that verified address exists, they are told with notify() instead (in the
notification centre and by mail in their own language). Whoever opens the link signs up
or signs in through allauth and accepts with an account that holds the invited address,
verified: a link forwarded, or read over someone's shoulder, lets nobody else in.

Re-inviting an address of the round sends the mail again (with the expertise and language
given this time and a fresh validity) instead of failing: organisers do that when a mail
went missing. An invitation already accepted is not sent again.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from audit.services import audit_log
from challenges.models import Topic
from judging.enums import RoundStatus, RunTrigger
from judging.errors import JudgingError
from judging.models import Assignment, JudgingRound, Juror, JurorInvitation
from judging.notification_kinds import JUDGING_INVITATION
from judging.rules import can_manage_round
from judging.selectors import conflicts_of
from notifications.rendering import email_language, render_email_for_address
from notifications.services import notify, notify_address
from teams.models import Team

INVITATION_SALT = "judging.invitation"
# Jurors join while the round is prepared or open; afterwards there is nothing to review.
JOINABLE = (RoundStatus.DRAFT, RoundStatus.OPEN)
INVITATION_VALID_DAYS = 30
ORGANISATION_NAME_MAX = 200


# --- the signed link --------------------------------------------------------------------


def invitation_token(invitation: JurorInvitation) -> str:
    """The signed token of the invitation's link; it carries the pk and when it was made."""
    return signing.dumps({"invitation": invitation.pk}, salt=INVITATION_SALT, compress=True)


def invitation_path(invitation: JurorInvitation) -> str:
    return reverse("judging:invitation", kwargs={"token": invitation_token(invitation)})


def invitation_from_token(token: str) -> JurorInvitation:
    """The invitation a link names. Raises JudgingError for a link that was altered, has
    expired or names an invitation that is gone, with a message a person can read."""
    try:
        payload = signing.loads(
            token, salt=INVITATION_SALT, max_age=timedelta(days=INVITATION_VALID_DAYS)
        )
    except signing.SignatureExpired:
        raise JudgingError(
            _(
                "This invitation link has expired (links are valid for %(days)d days). "
                "Please ask the organisers to invite you again."
            )
            % {"days": INVITATION_VALID_DAYS}
        ) from None
    except signing.BadSignature:
        raise JudgingError(
            _("This invitation link is not valid. Please copy the whole link from the e-mail.")
        ) from None
    pk = payload.get("invitation") if isinstance(payload, dict) else None
    invitation = (
        JurorInvitation.objects.select_related("round__event", "invited_by", "juror")
        .filter(pk=pk)
        .first()
        if isinstance(pk, int)
        else None
    )
    if invitation is None:
        raise JudgingError(_("This invitation was withdrawn. Please ask the organisers."))
    return invitation


# --- inviting -----------------------------------------------------------------------------


def normalise_address(email: str) -> str:
    """The address as stored and compared: without surrounding blanks, in lower case.
    Raises JudgingError for something that is not an e-mail address."""
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise JudgingError(
            _("“%(email)s” is not an e-mail address.") % {"email": email}, field="email"
        ) from None
    return email


def _language(language: str | None, round: JudgingRound, actor) -> str:
    languages = dict(settings.LANGUAGES)
    # Events have no language of their own (yet): then the organiser's, then German.
    for candidate in (
        language,
        getattr(round.event, "language", ""),
        getattr(actor, "language", ""),
    ):
        if candidate and candidate in languages:
            return candidate
    return settings.LANGUAGE_CODE


def _verified_user(email: str):
    address = (
        EmailAddress.objects.filter(email__iexact=email, verified=True, user__is_active=True)
        .select_related("user")
        .first()
    )
    return address.user if address is not None else None


def _mail_context(invitation: JurorInvitation, *, language: str) -> dict:
    round = invitation.round
    valid_until = timezone.localtime(
        timezone.now() + timedelta(days=INVITATION_VALID_DAYS), round.event.tzinfo
    ).date()
    with translation.override(language):
        valid_until_text = formats.date_format(valid_until, "DATE_FORMAT")
    return {
        "round_name": round.name,
        "event_name": round.event.name,
        "invited_by": invitation.invited_by.public_name if invitation.invited_by else "",
        "valid_until": valid_until_text,
        "url": invitation_path(invitation),
    }


def _send(invitation: JurorInvitation) -> None:
    user = _verified_user(invitation.email)
    if user is not None:
        notify(
            recipient=user,
            kind=JUDGING_INVITATION,
            context=_mail_context(invitation, language=email_language(user)),
        )
        return
    language = invitation.language or settings.LANGUAGE_CODE
    message = render_email_for_address(
        kind=JUDGING_INVITATION,
        context=_mail_context(invitation, language=language),
        email=invitation.email,
        language=language,
    )
    notify_address(
        email=invitation.email, kind=JUDGING_INVITATION, message=message, language=language
    )


def _topics_of_event(topics: Iterable[Topic], event) -> list[Topic]:
    topics = list(topics)
    if any(topic.event_id != event.pk for topic in topics):
        raise JudgingError(_("A topic field belongs to another event."), field="expertise")
    return topics


@transaction.atomic
def juror_invite(
    *,
    round: JudgingRound,
    actor,
    email: str,
    expertise: Iterable[Topic] = (),
    language: str | None = None,
) -> JurorInvitation:
    """Invites an address to the round's juror pool. Organisers of the event only.

    Re-inviting an address of the round (in any letter case) sends the mail again, with
    the expertise and language given now. Refused for an invitation already accepted
    and for a person who is a juror of the round already.

    Side effects: the invitation (created or updated), its mail as a notification row
    in this transaction (delivered after commit: to the account with that verified
    address through notify(), else to the bare address), an audit entry.
    """
    if not can_manage_round(actor, round):
        raise JudgingError(_("Only organisers of the event can manage its judging."))
    if round.status not in JOINABLE:
        raise JudgingError(_("The round is closed: jurors can no longer join it."))
    email = normalise_address(email)
    topics = _topics_of_event(expertise, round.event)
    language = _language(language, round, actor)
    existing_user = _verified_user(email)
    if existing_user is not None and Juror.objects.filter(round=round, user=existing_user).exists():
        raise JudgingError(
            _("%(email)s is a juror of this round already.") % {"email": email}, field="email"
        )
    invitation = (
        JurorInvitation.objects.select_for_update().filter(round=round, email__iexact=email).first()
    )
    resent = invitation is not None
    if invitation is None:
        try:
            with transaction.atomic():
                invitation = JurorInvitation.objects.create(
                    round=round, email=email, language=language, invited_by=actor
                )
        except IntegrityError:
            # Another organiser invited the address at the same moment: send it again.
            invitation = JurorInvitation.objects.select_for_update().get(
                round=round, email__iexact=email
            )
            resent = True
    if invitation.accepted_at is not None:
        raise JudgingError(
            _("%(email)s accepted the invitation already.") % {"email": email}, field="email"
        )
    if resent:
        invitation.language = language
        invitation.invited_by = actor
        invitation.save(update_fields=["language", "invited_by"])
    invitation.expertise.set(topics)
    _send(invitation)
    audit_log(
        actor=actor,
        action="judging.juror_invited",
        target=round,
        data={
            "invitation": invitation.pk,
            "email": email,
            "expertise": [topic.pk for topic in topics],
            "language": language,
            "again": resent,
        },
    )
    return invitation


# --- accepting ----------------------------------------------------------------------------


def invited_address_of(user, invitation: JurorInvitation) -> EmailAddress | None:
    """The person's own record of the address the invitation went to (in any letter
    case), verified or not; None when their account does not have it. One query."""
    if user is None or not user.is_authenticated:
        return None
    return (
        EmailAddress.objects.filter(user=user, email__iexact=invitation.email)
        .order_by("-verified")
        .first()
    )


def _check_invited_address(user, invitation: JurorInvitation) -> None:
    address = invited_address_of(user, invitation)
    if address is None:
        raise JudgingError(
            _(
                "This invitation went to %(email)s. Please sign in with the account of that "
                "address, or add it to your e-mail addresses and confirm it, then accept the "
                "invitation."
            )
            % {"email": invitation.email}
        )
    if not address.verified:
        raise JudgingError(
            _("Please confirm %(email)s first, then accept the invitation.")
            % {"email": invitation.email}
        )


@transaction.atomic
def invitation_accept(*, token: str, user) -> Juror:
    """The signed-in person whose account holds the invited address, verified (in any
    letter case), accepts the invitation of a link and joins the round's juror pool with
    the expertise the organiser gave. Anyone else with the link is refused. Accepting
    again is harmless (the same juror); a second person with the same link is refused.

    Side effects: the juror (created, or the person's existing seat in the round gets the
    invitation's expertise too), the invitation's accepted_at and juror, an audit entry
    with the person as the actor.
    """
    if user is None or not user.is_authenticated or not user.is_active:
        raise JudgingError(_("Please sign in to accept the invitation."))
    invitation = invitation_from_token(token)
    # The juror is read after the lock, not joined to it: a seat created by whoever held
    # the lock is newer than this query's snapshot, and a join would miss it.
    invitation = (
        JurorInvitation.objects.select_for_update(of=("self",))
        .select_related("round__event")
        .get(pk=invitation.pk)
    )
    round = invitation.round
    if invitation.accepted_at is not None:
        accepted_by = Juror.objects.filter(pk=invitation.juror_id).first()
        if accepted_by is not None:
            if accepted_by.user_id == user.pk:
                return accepted_by
            raise JudgingError(_("This invitation was accepted by someone else already."))
        # Accepted by a juror who came in through another invitation, or whose seat the
        # organisers removed since: only the former gets their seat back from the link.
        seat = Juror.objects.filter(round=round, user=user).first()
        if seat is not None:
            return seat
        raise JudgingError(_("This invitation was used already. Please ask the organisers."))
    if round.status not in JOINABLE:
        raise JudgingError(_("The round is closed: jurors can no longer join it."))
    _check_invited_address(user, invitation)
    topics = list(invitation.expertise.all())
    juror, created = Juror.objects.get_or_create(round=round, user=user)
    if created:
        juror.expertise.set(topics)
    else:
        juror.expertise.add(*topics)
    # One invitation per juror: a person invited under two addresses keeps the first.
    if not JurorInvitation.objects.filter(juror=juror).exists():
        invitation.juror = juror
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["juror", "accepted_at"])
    if created:
        # As judging.services.rounds.juror_add records it, with the person as the actor.
        audit_log(
            actor=user,
            action="judging.juror_added",
            target=round,
            data={"juror": juror.pk, "user": user.pk, "expertise": [t.pk for t in topics]},
        )
    audit_log(
        actor=user,
        action="judging.invitation_accepted",
        target=round,
        data={
            "invitation": invitation.pk,
            "juror": juror.pk,
            "user": user.pk,
            "new_juror": created,
            "expertise": [topic.pk for topic in topics],
        },
    )
    return juror


# --- a juror's profile --------------------------------------------------------------------

# Expertise and conflicts steer the assignment, and a new conflict takes assignments away
# with their reviews: once the round is closed, both belong to the record.
PROFILE_EDITABLE = JOINABLE


def profile_is_editable(round: JudgingRound) -> bool:
    return round.status in PROFILE_EDITABLE


def profile_closed_message() -> str:
    return _(
        "The round is closed: expertise and conflicts of interest can no longer be changed, "
        "as the reviews of the round are part of its record."
    )


def may_withdraw_conflicts(actor, juror: Juror) -> bool:
    """Organisers of the event may take a declared conflict back; a juror may not (they
    could otherwise undo a conflict an organiser or their own review page recorded)."""
    return bool(can_manage_round(actor, juror.round))


def _organisation_names(value: str | Iterable[str]) -> list[str]:
    lines = value.splitlines() if isinstance(value, str) else list(value)
    names: list[str] = []
    seen: set[str] = set()
    for line in lines:
        name = " ".join(str(line).split())
        if not name:
            continue
        if len(name) > ORGANISATION_NAME_MAX:
            raise JudgingError(
                _("An organisation name may have at most %(max)d characters.")
                % {"max": ORGANISATION_NAME_MAX},
                field="conflict_organisations",
            )
        if name.casefold() not in seen:
            seen.add(name.casefold())
            names.append(name)
    return names


@transaction.atomic
def juror_profile_update(
    *,
    juror: Juror,
    actor,
    expertise: Iterable[Topic],
    conflict_teams: Iterable[Team],
    conflict_organisations: str | Iterable[str],
) -> Juror:
    """Sets what a juror knows about (topic fields of the event) and their declared
    conflicts of interest (teams of the event; organisations by name, one per line).
    The juror or an organiser of the event, while the round is a draft or open (a
    conflict error afterwards). The expertise given replaces the juror's. For an
    organiser the teams and organisations given replace what was declared; for the juror
    they add to it: a declared conflict stays until an organiser takes it back.

    Side effects: the juror's expertise, declared teams and organisations; an audit entry
    naming what was added and removed (declared conflicts are part of the record); the
    juror's assignments that now conflict are taken from them, reviews and all, and an
    assignment run with trigger "conflict" moves those projects to other jurors.
    """
    # The juror's assignments are locked before the juror, as the review pages lock an
    # assignment before its juror (review_conflict_declare): the same order, no deadlock.
    list(Assignment.objects.select_for_update().filter(juror_id=juror.pk).values_list("pk"))
    juror = Juror.objects.select_for_update().get(pk=juror.pk)
    # Then the round (as assignment_run_start does after them): closing it waits for this
    # change, so nothing is taken from a round that closed meanwhile.
    round = (
        JudgingRound.objects.select_for_update(of=("self",))
        .select_related("event")
        .get(pk=juror.round_id)
    )
    juror.round = round
    is_self = bool(actor.is_authenticated and actor.pk == juror.user_id)
    if not is_self and not can_manage_round(actor, round):
        raise JudgingError(_("Only the juror or an organiser can change this profile."))
    if not profile_is_editable(round):
        raise JudgingError(profile_closed_message(), conflict=True)
    topics = _topics_of_event(expertise, round.event)
    teams = list(conflict_teams)
    if any(team.event_id != round.event_id for team in teams):
        raise JudgingError(_("A team belongs to another event."), field="conflict_teams")
    names = _organisation_names(conflict_organisations)

    before_topics = set(juror.expertise.values_list("pk", flat=True))
    before_teams = set(juror.conflict_teams.values_list("pk", flat=True))
    before_names = juror.organisation_names
    before_folded = {name.casefold() for name in before_names}
    team_ids = {team.pk for team in teams}
    if not may_withdraw_conflicts(actor, juror):
        team_ids |= before_teams
        names = before_names + [name for name in names if name.casefold() not in before_folded]
    juror.expertise.set(topics)
    juror.conflict_teams.set(team_ids)
    juror.conflict_organisations = "\n".join(names)
    juror.save(update_fields=["conflict_organisations"])

    topic_ids = {topic.pk for topic in topics}
    after_folded = {name.casefold() for name in names}
    audit_log(
        actor=actor,
        action="judging.juror_profile_updated",
        target=juror,
        data={
            "expertise": sorted(topic_ids),
            "expertise_added": sorted(topic_ids - before_topics),
            "expertise_removed": sorted(before_topics - topic_ids),
            "conflict_teams": sorted(team_ids),
            "conflict_teams_added": sorted(team_ids - before_teams),
            "conflict_teams_removed": sorted(before_teams - team_ids),
            "conflict_organisations": names,
            "conflict_organisations_added": [
                name for name in names if name.casefold() not in before_folded
            ],
            "conflict_organisations_removed": [
                name for name in before_names if name.casefold() not in after_folded
            ],
        },
    )
    _take_conflicting_assignments(juror=juror, actor=actor)
    return juror


def _take_conflicting_assignments(*, juror: Juror, actor) -> None:
    """Removes the juror's assignments that their declarations now make conflicts and
    starts a run that gives those projects to others. Only while the round's assignments
    can change (a draft or open round before its closing time): the assignments (and
    submitted reviews) of a closed round, or of one whose time is up, are its record."""
    from judging.services.runs import assignment_run_start, not_assignable_because

    if not profile_is_editable(juror.round) or not_assignable_because(juror.round) is not None:
        return
    conflicting = list(
        Assignment.objects.filter(juror=juror, project_id__in=conflicts_of(juror)).values_list(
            "pk", "project_id"
        )
    )
    if not conflicting:
        return
    Assignment.objects.filter(pk__in=[pk for pk, _project in conflicting]).delete()
    audit_log(
        actor=actor,
        action="judging.assignments_taken_for_conflict",
        target=juror.round,
        data={"juror": juror.pk, "projects": sorted(project for _pk, project in conflicting)},
    )
    assignment_run_start(round=juror.round, actor=actor, trigger=RunTrigger.CONFLICT)
