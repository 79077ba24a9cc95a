"""Benchmark: import 2,000 challenges from CSV, then search them.

Prints the import time and the median (and 95th percentile) search latency. Runs
against the database in DATABASE_URL (SQLite by default; use PostgreSQL for real
figures) in a throwaway event that is deleted afterwards.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
        .venv/bin/python bench/challenges_import_search.py
"""

from __future__ import annotations

import csv
import io
import os
import random
import statistics
import time

import _common  # sets Django up
from _common import p95
from django.db import connection

from challenges.csv_io import REQUIRED_COLUMNS, challenges_import_csv
from challenges.demo import CHALLENGES
from challenges.models import Challenge, Tag, Topic
from challenges.selectors import challenges_published
from events.models import Event

ROWS = int(os.environ.get("BENCH_CHALLENGES", "2000"))
SEARCHES = int(os.environ.get("BENCH_SEARCHES", "200"))
PLACES = ["Köln", "Leipzig", "Kiel", "Passau", "Erfurt", "Bremen", "Mainz", "Rostock", "Trier"]
QUERIES = [
    "Schulen",
    "Gesundheitsamt",
    "Pflegekräfte",
    "digitale Verwaltung",
    "Einkaufshilfe Nachbarschaft",
    "Impftermine",
    "Obdachlose",
    "Lehrmaterial",
    "Falschnachrichten",
    "Kita Eltern",
]


def make_csv(rows: int) -> bytes:
    rng = random.Random(42)
    out = io.StringIO()
    columns = [*REQUIRED_COLUMNS, "topic", "tags", "state", "organisation_name", "status"]
    writer = csv.DictWriter(out, fieldnames=columns)
    writer.writeheader()
    for index in range(rows):
        topic, title, problem, affected, outcome, giver, org, state, tags = rng.choice(CHALLENGES)
        place = rng.choice(PLACES)
        writer.writerow(
            {
                "external_id": f"bench-{index}",
                "title": f"{title} in {place} ({index})",
                "problem": f"{problem} In {place} betrifft das besonders viele Menschen.",
                "affected": affected,
                "desired_outcome": outcome,
                "giver_type": giver.value,
                "contact_name": "Bench Kontakt",
                "contact_email": f"bench{index}@example.org",
                "topic": f"bench-{topic}",
                "tags": "|".join(tags),
                "state": state,
                "organisation_name": org or "",
                "status": "published",
            }
        )
    return out.getvalue().encode("utf-8")


def main() -> None:
    _common.migrate()
    event, _ = Event.objects.update_or_create(
        slug="bench-challenges", defaults={"name": "Benchmark", "is_public": False}
    )
    Challenge.objects.filter(event=event).delete()
    raw = make_csv(ROWS)
    started = time.perf_counter()
    result = challenges_import_csv(event=event, raw=raw)
    import_seconds = time.perf_counter() - started
    if not result.ok:
        raise SystemExit(f"import failed: {result.errors[:3]}")
    latencies = []
    hits = []
    for index in range(SEARCHES):
        query = QUERIES[index % len(QUERIES)]
        started = time.perf_counter()
        page = list(challenges_published(event=event, search=query)[:20])
        latencies.append((time.perf_counter() - started) * 1000)
        hits.append(len(page))
    print(f"database: {connection.vendor}")
    rate = ROWS / import_seconds
    print(f"import: {ROWS} challenges in {import_seconds:.2f} s ({rate:.0f} rows/s)")
    print(
        f"search: {SEARCHES} queries, median {statistics.median(latencies):.1f} ms, "
        f"p95 {p95(latencies):.1f} ms, "
        f"mean hits on first page {statistics.mean(hits):.1f}"
    )
    Challenge.objects.filter(event=event).delete()
    Topic.objects.filter(event=event).delete()
    event.delete()
    bench_tags = {tag for row in CHALLENGES for tag in row[-1]}
    Tag.objects.filter(name__in=bench_tags, challenges__isnull=True).delete()


if __name__ == "__main__":
    main()
