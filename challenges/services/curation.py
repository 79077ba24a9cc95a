"""Curation by organisers: review, publication, rejection, merging, topic fields."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from audit.services import audit_log
from challenges import rules
from challenges.enums import ChallengeStatus
from challenges.models import Challenge, ChallengeOwner, ChallengeSupport, Topic
from challenges.services._base import ChallengeError, notify_giver


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
    notify_giver(challenge, "challenge.published")
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
        notify_giver(challenge, notification_kind)


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
    notify_giver(challenge, "challenge.rejected", reason=reason)
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
        notify_giver(
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
