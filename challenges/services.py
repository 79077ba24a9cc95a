"""Every write to challenges: intake by givers, curation by organisers, support by the public.

Each service checks state and permission first and raises ChallengeError with a
message a person can read; views turn it into a form error or a 4xx. Side effects
(notifications) are written in the same transaction; their e-mails go out on commit.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from audit.services import audit_log
from challenges import rules
from challenges.enums import ChallengeStatus
from challenges.models import NUMBER_OFFSET, Challenge, ChallengeOwner, ChallengeSupport, Tag, Topic
from events.enums import PhaseKind
from events.models import Event
from notifications.services import notify

EDITABLE_FIELDS = (
    "title",
    "problem",
    "affected",
    "desired_outcome",
    "topic",
    "giver_type",
    "organisation_name",
    "state",
    "municipality_key",
    "contact_name",
    "contact_email",
    "contact_phone",
)


class ChallengeError(Exception):
    """An action on a challenge that is not allowed now; the message says why."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


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


def _notify_giver(challenge: Challenge, kind: str, **extra) -> None:
    if challenge.submitted_by_id is None:
        return
    notify(
        recipient=challenge.submitted_by,
        kind=kind,
        context={
            "challenge_id": challenge.pk,
            "number": challenge.number,
            "title": challenge.title,
            "url": challenge.get_absolute_url() if challenge.number else "",
            **extra,
        },
    )


@transaction.atomic
def challenge_create(*, event: Event, author, data: dict, tags: Iterable[str] = ()) -> Challenge:
    """Creates a draft owned by `author`. Side effects: audit entry."""
    if not author.is_authenticated:
        raise ChallengeError(_("Please sign in to submit a challenge."))
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
    """Changes the text of a challenge. Givers may edit until review starts; organisers always."""
    challenge = Challenge.objects.select_for_update().get(pk=challenge.pk)
    if not rules.can_edit_challenge(actor, challenge):
        raise ChallengeError(_("This challenge can no longer be edited."))
    if not rules.is_organiser(actor):
        _require_intake_open(challenge.event)
    topic = data.get("topic")
    if topic is not None and topic.event_id != challenge.event_id:
        raise ChallengeError(_("This topic field belongs to another event."), field="topic")
    changed = [field for field in EDITABLE_FIELDS if field in data]
    for field in changed:
        setattr(challenge, field, data[field])
    challenge.save(update_fields=[*changed, "updated_at"])
    if tags is not None:
        set_tags(challenge, tags)
    audit_log(actor=actor, action="challenge.update", target=challenge, data={"fields": changed})
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
    _notify_giver(challenge, "challenge.submitted")
    return challenge


def _transition(
    challenge: Challenge,
    *,
    actor,
    allowed_from: tuple[str, ...],
    to: str,
    message: str,
) -> Challenge:
    challenge = Challenge.objects.select_for_update().get(pk=challenge.pk)
    if not rules.is_organiser(actor):
        raise ChallengeError(_("Only organisers can curate challenges."))
    if challenge.status not in allowed_from:
        raise ChallengeError(message % {"status": challenge.get_status_display()})
    challenge.status = to
    return challenge


@transaction.atomic
def challenge_start_review(*, challenge: Challenge, actor) -> Challenge:
    """submitted → in review. The giver can no longer edit. Side effects: audit entry."""
    challenge = _transition(
        challenge,
        actor=actor,
        allowed_from=(ChallengeStatus.SUBMITTED,),
        to=ChallengeStatus.IN_REVIEW,
        message=_("A challenge that is %(status)s cannot go into review."),
    )
    challenge.save(update_fields=["status", "updated_at"])
    audit_log(actor=actor, action="challenge.review", target=challenge)
    return challenge


@transaction.atomic
def challenge_publish(*, challenge: Challenge, actor) -> Challenge:
    """submitted | in review → published. Side effects: giver notified, audit entry."""
    challenge = _transition(
        challenge,
        actor=actor,
        allowed_from=(ChallengeStatus.SUBMITTED, ChallengeStatus.IN_REVIEW),
        to=ChallengeStatus.PUBLISHED,
        message=_("A challenge that is %(status)s cannot be published."),
    )
    challenge.published_at = timezone.now()
    challenge.rejection_reason = ""
    challenge.save(update_fields=["status", "published_at", "rejection_reason", "updated_at"])
    audit_log(actor=actor, action="challenge.publish", target=challenge)
    _notify_giver(challenge, "challenge.published")
    return challenge


# What a move into a status means beyond the row itself, for moves made by a curator's
# CSV import, which validates the move itself (forward only, see csv_io._row_status).
_STATUS_EFFECTS = {
    ChallengeStatus.IN_REVIEW: ("challenge.review", None),
    ChallengeStatus.PUBLISHED: ("challenge.publish", "challenge.published"),
}


def challenge_record_imported_status(*, challenge: Challenge, previous_status: str | None, actor):
    """The audit entry and giver notification of a status a CSV import set.

    An import is a curation like the admin's bulk actions: a challenge it publishes
    tells its giver, as challenge_publish does. Call inside the import's transaction.
    """
    if challenge.status == previous_status or challenge.status not in _STATUS_EFFECTS:
        return
    action, notification_kind = _STATUS_EFFECTS[challenge.status]
    audit_log(
        actor=actor, action=action, target=challenge, data={"previous_status": previous_status}
    )
    if notification_kind:
        _notify_giver(challenge, notification_kind)


@transaction.atomic
def challenge_reject(*, challenge: Challenge, actor, reason: str) -> Challenge:
    """submitted | in review | published → rejected, with a reason sent to the giver."""
    reason = (reason or "").strip()
    if not reason:
        raise ChallengeError(_("Please give the giver a reason for the rejection."), field="reason")
    challenge = _transition(
        challenge,
        actor=actor,
        allowed_from=(
            ChallengeStatus.SUBMITTED,
            ChallengeStatus.IN_REVIEW,
            ChallengeStatus.PUBLISHED,
        ),
        to=ChallengeStatus.REJECTED,
        message=_("A challenge that is %(status)s cannot be rejected."),
    )
    absorbed = Challenge.objects.filter(merged_into=challenge).count()
    if absorbed:
        # Their pages redirect here; a rejected challenge would leave them pointing nowhere.
        raise ChallengeError(
            ngettext(
                "%(count)d challenge was merged into this one, so it cannot be rejected.",
                "%(count)d challenges were merged into this one, so it cannot be rejected.",
                absorbed,
            )
            % {"count": absorbed}
        )
    challenge.rejection_reason = reason
    challenge.save(update_fields=["status", "rejection_reason", "updated_at"])
    audit_log(actor=actor, action="challenge.reject", target=challenge, data={"reason": reason})
    _notify_giver(challenge, "challenge.rejected", reason=reason)
    return challenge


@transaction.atomic
def challenges_merge(*, challenges: Iterable[Challenge], into: Challenge, actor) -> Challenge:
    """Merges duplicates into `into`: their pages redirect there, supporters and owners move over.

    Side effects: each merged giver notified, audit entries on both sides.
    """
    if not rules.is_organiser(actor):
        raise ChallengeError(_("Only organisers can curate challenges."))
    ids = sorted({c.pk for c in challenges} | {into.pk})
    locked = {
        c.pk: c for c in Challenge.objects.select_for_update().filter(pk__in=ids).order_by("pk")
    }
    target = locked[into.pk]
    if target.status != ChallengeStatus.PUBLISHED:
        # Merged pages redirect to the target, so it must be one everybody can see.
        raise ChallengeError(
            _("Only a published challenge can take in others; this one is %(status)s.")
            % {"status": target.get_status_display()}
        )
    sources = [locked[pk] for pk in ids if pk != target.pk]
    if not sources:
        raise ChallengeError(_("Choose at least one other challenge to merge."))
    for source in sources:
        if source.event_id != target.event_id:
            raise ChallengeError(_("Only challenges of the same event can be merged."))
        if source.status == ChallengeStatus.MERGED:
            raise ChallengeError(
                _("%(number)s has already been merged.") % {"number": source.public_number}
            )
        if source.status == ChallengeStatus.DRAFT:
            # Nobody but its author has seen a draft; merging it would tell them
            # about work they have not handed in.
            raise ChallengeError(
                _("%(number)s is a draft that was never submitted and cannot be merged.")
                % {"number": source.public_number}
            )
    source_ids = [source.pk for source in sources]
    previous_status = {source.pk: source.status for source in sources}
    supporters = set(
        ChallengeSupport.objects.filter(challenge_id__in=source_ids).values_list(
            "user_id", flat=True
        )
    )
    already = set(target.supports.values_list("user_id", flat=True))
    ChallengeSupport.objects.bulk_create(
        [ChallengeSupport(challenge=target, user_id=user_id) for user_id in supporters - already]
    )
    ChallengeSupport.objects.filter(challenge_id__in=source_ids).delete()
    owners = set(
        ChallengeOwner.objects.filter(challenge_id__in=source_ids).values_list("user_id", flat=True)
    )
    existing_owners = set(target.ownerships.values_list("user_id", flat=True))
    ChallengeOwner.objects.bulk_create(
        [ChallengeOwner(challenge=target, user_id=u) for u in owners - existing_owners]
    )
    Challenge.objects.filter(pk__in=source_ids).update(
        status=ChallengeStatus.MERGED,
        merged_into=target,
        support_count=0,
        updated_at=timezone.now(),
    )
    target.support_count = target.supports.count()
    target.save(update_fields=["support_count", "updated_at"])
    for source in sources:
        source.status = ChallengeStatus.MERGED
        source.merged_into = target
        audit_log(
            actor=actor,
            action="challenge.merge",
            target=source,
            data={"into": target.number, "previous_status": previous_status[source.pk]},
        )
        _notify_giver(
            source,
            "challenge.merged",
            into_number=target.number,
            into_title=target.title,
            into_url=target.get_absolute_url(),
        )
    audit_log(
        actor=actor,
        action="challenge.absorb",
        target=target,
        data={"merged": [source.number for source in sources]},
    )
    return target


@transaction.atomic
def challenges_assign_topic(*, challenges: Iterable[Challenge], topic: Topic | None, actor) -> int:
    """Sets the topic field of many challenges at once. Side effects: an audit entry each."""
    if not rules.is_organiser(actor):
        raise ChallengeError(_("Only organisers can curate challenges."))
    selected = list(challenges)
    if topic is not None and any(c.event_id != topic.event_id for c in selected):
        raise ChallengeError(_("The topic field belongs to another event."), field="topic")
    Challenge.objects.filter(pk__in=[c.pk for c in selected]).update(
        topic=topic, updated_at=timezone.now()
    )
    for challenge in selected:
        audit_log(
            actor=actor,
            action="challenge.topic",
            target=challenge,
            data={"topic": topic.slug if topic else None},
        )
    return len(selected)


@transaction.atomic
def challenge_owner_add(*, challenge: Challenge, user, actor) -> ChallengeOwner:
    """Makes `user` a godparent (Pat:in) of a published challenge. Side effects: audit entry."""
    if not rules.is_organiser(actor):
        raise ChallengeError(_("Only organisers can name challenge owners."))
    if challenge.status != ChallengeStatus.PUBLISHED:
        raise ChallengeError(_("Owners can only be named for published challenges."))
    ownership, _created = ChallengeOwner.objects.get_or_create(challenge=challenge, user=user)
    audit_log(actor=actor, action="challenge.owner_add", target=challenge, data={"user": user.pk})
    return ownership


def challenge_support(*, challenge: Challenge, user) -> bool:
    """Adds `user`'s support once; returns False if they already supported it."""
    if not user.is_authenticated:
        raise ChallengeError(_("Please sign in to support a challenge."))
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
        raise ChallengeError(_("Please sign in to support a challenge."))
    deleted, _detail = ChallengeSupport.objects.filter(challenge=challenge, user=user).delete()
    if deleted:
        Challenge.objects.filter(pk=challenge.pk, support_count__gt=0).update(
            support_count=F("support_count") - 1
        )
    return bool(deleted)
