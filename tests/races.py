"""Requests that race, as two web workers would: real threads against PostgreSQL.

Each call runs in its own thread with its own database connection (and transaction),
and a barrier releases them together, so their statements really meet in the
database. Tests that use it are `@pytest.mark.integration` and
`@pytest.mark.django_db(transaction=True)` (the threads must see committed rows), and
usually `eager_celery`, so the e-mails of the notifications are sent in the thread that
commits instead of piling up in a broker without a worker.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from django.db import connection
from django.utils import translation


def race(*calls: Callable[[], object], language: str = "en", timeout: float = 120) -> list:
    """Runs the calls at the same moment, each in its own thread; returns each call's
    result, or the exception it raised, in the order of the calls.

    The threads speak `language` (the messages tests assert are the English msgids).
    A racer that hangs, or a barrier that breaks, fails the test.
    """
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(index: int, call: Callable[[], object]) -> None:
        translation.activate(language)
        try:
            barrier.wait(timeout=30)
            results[index] = call()
        except Exception as exc:  # the test inspects what each racer got
            results[index] = exc
        finally:
            translation.deactivate()
            connection.close()  # each thread opened its own connection

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    assert not any(thread.is_alive() for thread in threads), "a racer hung"
    broken = [r for r in results if isinstance(r, threading.BrokenBarrierError)]
    assert not broken, "the racers were not released together"
    return results
