"""hackathon.rules_cache: answers cached on an object until a watched row changes."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from hackathon import rules_cache
from tests.factories import EventFactory, RegistrationFactory


def test_cached_computes_once_per_key():
    calls = []
    obj = SimpleNamespace()

    def compute(value):
        calls.append(value)
        return value * 2

    assert rules_cache.cached(obj, "_answers", 1, lambda: compute(1)) == 2
    assert rules_cache.cached(obj, "_answers", 1, lambda: compute(1)) == 2
    assert rules_cache.cached(obj, "_answers", 2, lambda: compute(2)) == 4
    assert calls == [1, 2]


def test_forget_all_makes_every_answer_stale():
    obj = SimpleNamespace()
    rules_cache.cached(obj, "_answers", "key", lambda: "old")

    rules_cache.forget_all()

    assert rules_cache.cached(obj, "_answers", "key", lambda: "new") == "new"


def test_a_change_while_computing_is_not_kept():
    obj = SimpleNamespace()

    def compute():
        rules_cache.forget_all()  # a row changed while the answer was read
        return "read before the change"

    rules_cache.cached(obj, "_answers", "key", compute)

    assert rules_cache.cached(obj, "_answers", "key", lambda: "fresh") == "fresh"


@pytest.mark.django_db
def test_saving_and_deleting_a_watched_model_forgets():
    obj = SimpleNamespace()
    rules_cache.cached(obj, "_answers", "key", lambda: "old")
    registration = RegistrationFactory(event=EventFactory())  # Registration is watched
    assert rules_cache.cached(obj, "_answers", "key", lambda: "after save") == "after save"

    registration.delete()

    assert rules_cache.cached(obj, "_answers", "key", lambda: "after delete") == "after delete"


@pytest.mark.django_db
def test_saving_an_unwatched_model_keeps_the_answers():
    obj = SimpleNamespace()
    rules_cache.cached(obj, "_answers", "key", lambda: "kept")

    EventFactory()

    assert rules_cache.cached(obj, "_answers", "key", lambda: "recomputed") == "kept"
