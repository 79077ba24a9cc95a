"""Caches for the permission rules that never need clearing by hand.

A page asks the same questions many times (is this person a member of this team? an
organiser of this event?), so a rule keeps its answer on the object it was asked about,
as Django keeps a user's permissions. Such an answer goes stale when the rows it was
read from change, and then every service and view that changed them would have to know
which caches to drop.

Instead every answer is stamped with a generation, and the generation moves on whenever
a row that rules read is saved or deleted anywhere in this process (each app names its
models with `forget_on_change` in its AppConfig.ready). An answer from an older
generation is read again, so right after a service changed members, roles,
registrations, phases or groups the next question sees the change; a page that changes
nothing keeps its one query per question. Writes that send no signals (QuerySet.update,
bulk_create) must not change what the rules read.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from django.db import models
from django.db.models.signals import m2m_changed, post_delete, post_save

T = TypeVar("T")

_counter = itertools.count(1)
_generation = next(_counter)


def forget_all(**kwargs: Any) -> None:
    """Makes every cached answer stale (a signal receiver, hence **kwargs)."""
    global _generation
    _generation = next(_counter)  # next() on a count is atomic under the GIL


def cached(obj: object, name: str, key: Hashable, compute: Callable[[], T]) -> T:
    """The answer for `key` cached on `obj` under `name`, computed when missing or stale."""
    generation = _generation  # read before computing: a change meanwhile makes it stale
    store = obj.__dict__.get(name)
    if store is None or store[0] != generation:
        store = (generation, {})
        obj.__dict__[name] = store
    answers = store[1]
    if key not in answers:
        answers[key] = compute()
    return answers[key]


def forget_on_change(*senders: type[models.Model] | type) -> None:
    """Every save or delete of these models (or change of this many-to-many relation's
    `through` model) makes the cached answers stale."""
    for sender in senders:
        uid = f"rules_cache.{sender._meta.label}"
        if sender._meta.auto_created:  # a many-to-many through model, e.g. User.groups
            m2m_changed.connect(forget_all, sender=sender, dispatch_uid=f"{uid}.m2m", weak=False)
        post_save.connect(forget_all, sender=sender, dispatch_uid=f"{uid}.save", weak=False)
        post_delete.connect(forget_all, sender=sender, dispatch_uid=f"{uid}.delete", weak=False)
