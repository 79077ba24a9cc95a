"""The organisers' lists the catalogue is sorted by: topic fields (per event) and tags.

Every change is audited; the catalogue's cached pages and topic counts follow by
themselves (hackathon.pagecache bumps the challenges' version on each write to these
tables once the transaction commits).
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from audit.services import audit_log
from challenges import rules
from challenges.models import Tag, Topic
from challenges.services._base import ChallengeError
from events.models import Event

TOPIC_FIELDS = ("name", "slug", "description", "position")


def _require_organiser(actor) -> None:
    if not rules.is_organiser(actor):
        raise ChallengeError(_("Only organisers can look after topic fields and tags."))


def _require_free_slug(*, event_id: int, slug: str, exclude: Topic | None = None) -> None:
    taken = Topic.objects.filter(event_id=event_id, slug=slug)
    if exclude is not None:
        taken = taken.exclude(pk=exclude.pk)
    if taken.exists():
        raise ChallengeError(
            _("This event already has a topic field with this slug."), field="slug"
        )


def _topic(topic: Topic) -> dict:
    return {"name": topic.name, "slug": topic.slug, "event": topic.event_id}


@transaction.atomic
def topic_create(*, event: Event, actor, data: dict) -> Topic:
    """A new topic field of the event (TOPIC_FIELDS in `data`). Organisers only.
    Side effects: the topic field; an audit entry."""
    _require_organiser(actor)
    topic = Topic(event=event, **{field: data[field] for field in TOPIC_FIELDS if field in data})
    _require_free_slug(event_id=event.pk, slug=topic.slug)
    topic.save()
    audit_log(actor=actor, action="challenge.topic_create", target=topic, data=_topic(topic))
    return topic


@transaction.atomic
def topic_update(*, topic: Topic, actor, data: dict) -> Topic:
    """Renames, moves or describes a topic field (the TOPIC_FIELDS named in `data`); it
    stays in its event. Organisers only. Side effects: the topic field; an audit entry
    with the changed fields and the name before."""
    _require_organiser(actor)
    topic = Topic.objects.select_for_update().get(pk=topic.pk)
    previous_name = topic.name
    changed = [field for field in TOPIC_FIELDS if field in data]
    for field in changed:
        setattr(topic, field, data[field])
    if "slug" in changed:
        _require_free_slug(event_id=topic.event_id, slug=topic.slug, exclude=topic)
    topic.save(update_fields=changed)
    audit_log(
        actor=actor,
        action="challenge.topic_update",
        target=topic,
        data={"fields": changed, "previous_name": previous_name, **_topic(topic)},
    )
    return topic


@transaction.atomic
def topic_delete(*, topic: Topic, actor) -> None:
    """Deletes a topic field; its challenges stay, without a topic field. Organisers only.
    Side effects: an audit entry naming the topic field and its challenges' numbers."""
    _require_organiser(actor)
    topic = Topic.objects.select_for_update().filter(pk=topic.pk).first()
    if topic is None:
        return  # deleted meanwhile
    numbers = sorted(topic.challenges.exclude(number=None).values_list("number", flat=True))
    audit_log(
        actor=actor,
        action="challenge.topic_delete",
        target=topic,
        data={**_topic(topic), "challenges": numbers},
    )
    topic.delete()


def _require_free_tag_name(name: str, *, exclude: Tag | None = None) -> str:
    name = (name or "").strip()
    if not name:
        raise ChallengeError(_("Please give the tag a name."), field="name")
    taken = Tag.objects.filter(name__iexact=name)
    if exclude is not None:
        taken = taken.exclude(pk=exclude.pk)
    if taken.exists():
        raise ChallengeError(_("A tag with this name already exists."), field="name")
    return name


@transaction.atomic
def tag_create(*, actor, name: str) -> Tag:
    """A new tag. Organisers only (givers' tags come with their challenges, set_tags).
    Side effects: the tag; an audit entry."""
    _require_organiser(actor)
    tag = Tag.objects.create(name=_require_free_tag_name(name))
    audit_log(actor=actor, action="challenge.tag_create", target=tag, data={"name": tag.name})
    return tag


@transaction.atomic
def tag_rename(*, tag: Tag, actor, name: str) -> Tag:
    """Renames a tag on every challenge that has it. Organisers only.
    Side effects: the tag; an audit entry with both names."""
    _require_organiser(actor)
    tag = Tag.objects.select_for_update().get(pk=tag.pk)
    previous = tag.name
    tag.name = _require_free_tag_name(name, exclude=tag)
    tag.save(update_fields=["name"])
    audit_log(
        actor=actor,
        action="challenge.tag_rename",
        target=tag,
        data={"name": tag.name, "previous_name": previous},
    )
    return tag
