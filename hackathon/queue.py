"""Handing work to Celery after the transaction that made it necessary commits.

Every piece of work enqueued here is also written down as a row (a pending
notification, a project whose video thumbnail is out of date), and a beat sweep
finds rows whose task never arrived. So a broker that is down at commit costs a
delay, never the request and never the work.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction

logger = logging.getLogger(__name__)


def enqueue_on_commit(task, calls: Iterable[Mapping[str, Any]]) -> None:
    """Enqueues `task` once per keyword-argument mapping in `calls`, after commit.

    Nothing is enqueued if the transaction rolls back. If the broker cannot be reached,
    the rest is given up with one logged warning: the caller's rows stay as they are
    and its sweep enqueues them later.
    """
    calls = [dict(kwargs) for kwargs in calls]
    if not calls:
        return

    def enqueue() -> None:
        for done, kwargs in enumerate(calls):
            try:
                task.apply_async(kwargs=kwargs)
            except Exception as error:  # kombu raises OperationalError, redis its own
                logger.warning(
                    "Could not enqueue %s for %d of %d (%s: %s); its sweep will pick them up.",
                    task.name,
                    len(calls) - done,
                    len(calls),
                    type(error).__name__,
                    error,
                )
                return

    transaction.on_commit(enqueue)
