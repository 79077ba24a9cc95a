"""Writing the rows of a CSV import (challenges.csv_io reads and checks the file)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from audit.services import audit_log
from challenges.enums import ChallengeStatus
from challenges.models import Challenge, Topic
from challenges.services.curation import challenge_record_imported_status
from challenges.services.intake import challenge_assign_number, set_tags
from events.models import Event


@dataclass
class ImportRow:
    """One checked row: the fields to write, the tag names, a topic field to create (by
    name) when the event has none of that name, the status to set (None keeps it) and
    the challenge it updates (None for a new one)."""

    data: dict
    tags: list[str]
    topic_name: str | None
    status: str | None
    instance: Challenge | None


@dataclass
class ImportCounts:
    created: int = 0
    updated: int = 0


@transaction.atomic
def challenges_import(*, event: Event, rows: Sequence[ImportRow], actor=None) -> ImportCounts:
    """Creates or updates the challenges of checked import rows, all in one transaction.

    A new challenge starts as submitted unless its row says otherwise; a status only
    moves forward (the reader decided which). `actor` is None for the command line.
    Side effects: challenges written, unknown topic fields and tags created; one audit
    entry per challenge (challenge.import), and for a status the import moved, the
    entry and giver notification of that curation step.
    """
    counts = ImportCounts()
    now = timezone.now()
    created_topics: dict[str, Topic] = {}
    for row in rows:
        data = dict(row.data)
        if row.topic_name:
            slug = slugify(row.topic_name)[:120] or "topic"
            topic = created_topics.get(slug)
            if topic is None:
                topic, _created = Topic.objects.get_or_create(
                    event=event, slug=slug, defaults={"name": row.topic_name[:120]}
                )
                created_topics[slug] = topic
            data["topic"] = topic
        challenge = row.instance or Challenge(
            event=event, status=ChallengeStatus.SUBMITTED, submitted_at=now
        )
        previous_status = row.instance.status if row.instance else None
        for key, value in data.items():
            setattr(challenge, key, value)
        if row.status is not None:
            challenge.status = row.status
        if challenge.status == ChallengeStatus.PUBLISHED and challenge.published_at is None:
            challenge.published_at = now
        challenge.save()
        challenge_assign_number(challenge)
        set_tags(challenge, row.tags)
        if row.instance is None:
            counts.created += 1
        else:
            counts.updated += 1
        audit_log(
            actor=actor,
            action="challenge.import",
            target=challenge,
            data={
                "external_id": challenge.external_id,
                "created": row.instance is None,
                "status": challenge.status,
            },
        )
        challenge_record_imported_status(
            challenge=challenge, previous_status=previous_status, actor=actor
        )
    return counts
