"""Intake by givers (drafts, edits, submission) and support by the public."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from audit.services import audit_log
from challenges import rules
from challenges.enums import ChallengeStatus
from challenges.fields import EDITABLE_FIELDS, ORGANISER_FIELDS
from challenges.models import NUMBER_OFFSET, Challenge, ChallengeSupport, Tag
from challenges.services._base import ChallengeError, notify_giver
from events.enums import PhaseKind
from events.models import Event


def intake_state(*, event: Event, now: datetime | None = None) -> tuple[bool, str]:
    """Whether the event takes challenges now, and a sentence saying when it opens or closed."""
    now = now or timezone.now()
    phase = next((p for p in event.phases.all() if p.kind == PhaseKind.CHALLENGE_INTAKE), None)
    if phase is None:
        return False, _("This event does not take challenges.")
    starts = date_format(event.localtime(phase.starts_at), "DATETIME_FORMAT")
    ends = date_format(event.localtime(phase.ends_at), "DATETIME_FORMAT")
    if now < phase.starts_at:
        return False, _("Challenge submission opens on %(when)s.") % {"when": starts}
    if now >= phase.ends_at:
        return False, _("Challenge submission closed on %(when)s.") % {"when": ends}
    return True, _("Challenges can be submitted until %(when)s.") % {"when": ends}


def _require_intake_open(event: Event) -> None:
    is_open, message = intake_state(event=event)
    if not is_open:
        raise ChallengeError(message)


def set_tags(challenge: Challenge, names: Iterable[str]) -> None:
    cleaned = sorted({name.strip()[:60] for name in names if name and name.strip()})
    existing = {tag.name: tag for tag in Tag.objects.filter(name__in=cleaned)}
    missing = [Tag(name=name) for name in cleaned if name not in existing]
    if missing:
        Tag.objects.bulk_create(missing, ignore_conflicts=True)
        existing = {tag.name: tag for tag in Tag.objects.filter(name__in=cleaned)}
    challenge.tags.set(existing.values())


def challenge_assign_number(challenge: Challenge) -> None:
    """Gives a saved challenge its public number, once.

    Derived from the primary key, so it is unique without a lock and never changes.
    """
    if challenge.number is not None:
        return
    challenge.number = NUMBER_OFFSET + challenge.pk
    Challenge.objects.filter(pk=challenge.pk).update(number=challenge.number)


@transaction.atomic
def challenge_create(*, event: Event, author, data: dict, tags: Iterable[str] = ()) -> Challenge:
    """Creates a draft owned by `author`. Side effects: audit entry."""
    if not author.is_authenticated:
        raise ChallengeError(_("Please log in to submit a challenge."))
    _require_intake_open(event)
    topic = data.get("topic")
    if topic is not None and topic.event_id != event.pk:
        raise ChallengeError(_("This topic field belongs to another event."), field="topic")
    challenge = Challenge(event=event, submitted_by=author, status=ChallengeStatus.DRAFT)
    for field in EDITABLE_FIELDS:
        if field in data:
            setattr(challenge, field, data[field])
    challenge.save()
    challenge_assign_number(challenge)
    set_tags(challenge, tags)
    audit_log(actor=author, action="challenge.create", target=challenge)
    return challenge


@transaction.atomic
def challenge_update(
    *, challenge: Challenge, actor, data: dict, tags: Iterable[str] | None = None
) -> Challenge:
    """Changes the text of a challenge. Givers may edit until review starts; organisers always,
    and they also set the ORGANISER_FIELDS. Side effects: audit entry naming the fields."""
    challenge = Challenge.objects.select_for_update().get(pk=challenge.pk)
    if not rules.can_edit_challenge(actor, challenge):
        raise ChallengeError(_("This challenge can no longer be edited."))
    organiser = rules.is_organiser(actor)
    if not organiser:
        _require_intake_open(challenge.event)
    topic = data.get("topic")
    if topic is not None and topic.event_id != challenge.event_id:
        raise ChallengeError(_("This topic field belongs to another event."), field="topic")
    allowed = EDITABLE_FIELDS + ORGANISER_FIELDS if organiser else EDITABLE_FIELDS
    changed = [field for field in allowed if field in data]
    for field in changed:
        setattr(challenge, field, data[field])
    challenge.save(update_fields=[*changed, "updated_at"])
    if tags is not None:
        set_tags(challenge, tags)
    audit_log(actor=actor, action="challenge.update", target=challenge, data={"fields": changed})
    return challenge


@transaction.atomic
def challenge_enter(*, event: Event, actor, data: dict, tags: Iterable[str] = ()) -> Challenge:
    """A challenge an organiser enters by hand (handed in by phone, on paper): it starts as
    submitted, with its number, also outside the intake phase. Organisers only.

    Side effects: the challenge and its tags; audit entry.
    """
    if not rules.is_organiser(actor):
        raise ChallengeError(_("Only organisers can curate challenges."))
    topic = data.get("topic")
    if topic is not None and topic.event_id != event.pk:
        raise ChallengeError(_("This topic field belongs to another event."), field="topic")
    now = timezone.now()
    challenge = Challenge(event=event, status=ChallengeStatus.SUBMITTED, submitted_at=now)
    for field in EDITABLE_FIELDS + ORGANISER_FIELDS:
        if field in data:
            setattr(challenge, field, data[field])
    challenge.save()
    challenge_assign_number(challenge)
    set_tags(challenge, tags)
    audit_log(
        actor=actor,
        action="challenge.admin_create",
        target=challenge,
        data={"fields": sorted(data)},
    )
    return challenge


@transaction.atomic
def challenge_submit(*, challenge: Challenge, actor) -> Challenge:
    """draft → submitted. Side effects: confirmation notification to the giver, audit entry."""
    challenge = Challenge.objects.select_for_update().get(pk=challenge.pk)
    if not rules.is_giver(actor, challenge):
        raise ChallengeError(_("Only the person who wrote this challenge can submit it."))
    if challenge.status != ChallengeStatus.DRAFT:
        raise ChallengeError(_("This challenge has already been submitted."))
    _require_intake_open(challenge.event)
    challenge.status = ChallengeStatus.SUBMITTED
    challenge.submitted_at = timezone.now()
    challenge.save(update_fields=["status", "submitted_at", "updated_at"])
    audit_log(actor=actor, action="challenge.submit", target=challenge)
    notify_giver(challenge, "challenge.submitted")
    return challenge


def challenge_support(*, challenge: Challenge, user) -> bool:
    """Adds `user`'s support once; returns False if they already supported it."""
    if not user.is_authenticated:
        raise ChallengeError(_("Please log in to support a challenge."))
    if challenge.status != ChallengeStatus.PUBLISHED:
        raise ChallengeError(_("Only published challenges can be supported."))
    try:
        with transaction.atomic():
            ChallengeSupport.objects.create(challenge=challenge, user=user)
            Challenge.objects.filter(pk=challenge.pk).update(support_count=F("support_count") + 1)
    except IntegrityError:
        return False  # the unique constraint says: supported already
    return True


@transaction.atomic
def challenge_unsupport(*, challenge: Challenge, user) -> bool:
    """Takes `user`'s support back; returns False if there was none."""
    if not user.is_authenticated:
        raise ChallengeError(_("Please log in to support a challenge."))
    deleted, _detail = ChallengeSupport.objects.filter(challenge=challenge, user=user).delete()
    if deleted:
        Challenge.objects.filter(pk=challenge.pk, support_count__gt=0).update(
            support_count=F("support_count") - 1
        )
    return bool(deleted)
