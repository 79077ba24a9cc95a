"""Benchmark: the judging round's assignment at #WirVsVirus scale.

Assigns BENCH_PROJECTS (1,500) projects, each to BENCH_K (5) jurors, over BENCH_JURORS
(600) jurors with BENCH_CONFLICTS (2%) random conflicts of interest; every project has one
of 12 topic fields, every juror expertise in 1-3 of them. BENCH_SCALE (default 1)
multiplies projects and jurors. Prints the wall time of judging.assignment.assign (the
min-cost flow, from the ids to the pairs), the process's peak memory (ru_maxrss), the load
spread (most minus fewest reviews of a juror) and the share of reviews whose juror's
expertise covers the project's topic. Then a re-run after one juror dropped out (the
previous pairs preferred): its wall time and how many pairs moved. Needs no database.

    .venv/bin/python bench/judging_assignment.py
"""

from __future__ import annotations

import os
import random
import resource
import time

import _common  # noqa: F401  (sets Django up: the messages go through gettext)

from judging.assignment import Juror, Project, assign

SCALE = float(os.environ.get("BENCH_SCALE", "1"))
PROJECTS = int(os.environ.get("BENCH_PROJECTS", round(1500 * SCALE)))
JURORS = int(os.environ.get("BENCH_JURORS", round(600 * SCALE)))
K = int(os.environ.get("BENCH_K", "5"))
CONFLICTS = float(os.environ.get("BENCH_CONFLICTS", "0.02"))
TOPICS = 12
SEED = 10


def main() -> None:
    rng = random.Random(SEED)
    projects = [Project(index + 1, rng.randrange(TOPICS)) for index in range(PROJECTS)]
    jurors = [
        Juror(index + 1, frozenset(rng.sample(range(TOPICS), rng.randint(1, 3))))
        for index in range(JURORS)
    ]
    conflicts = {
        (juror.id, project.id)
        for project in projects
        for juror in jurors
        if rng.random() < CONFLICTS
    }
    print(
        f"{PROJECTS} projects x k={K} over {JURORS} jurors, {len(conflicts)} conflicts "
        f"({CONFLICTS:.0%}), {TOPICS} topic fields"
    )

    started = time.perf_counter()
    result = assign(projects, jurors, k=K, conflicts=conflicts)
    elapsed = time.perf_counter() - started
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    loads = result.load.values()
    assert set(result.reviews.values()) == {K}, "a project without exactly k reviews"
    assert not result.pairs & conflicts, "a conflict assigned"
    print(f"assignment: {len(result.pairs)} reviews in {elapsed:.2f} s")
    print(f"peak memory: {peak_mib:.0f} MiB")
    print(f"load spread: {result.spread} (reviews per juror {min(loads)}-{max(loads)})")
    print(f"expertise-match share: {result.expertise_share:.1%}")

    leaving = jurors[0].id
    started = time.perf_counter()
    again = assign(
        projects,
        jurors[1:],
        k=K,
        conflicts=conflicts,
        previous=result.pairs,
    )
    elapsed = time.perf_counter() - started
    moved = len(result.pairs - again.pairs)
    print(
        f"re-run after juror {leaving} left: {elapsed:.2f} s, {moved} pairs moved "
        f"({result.load[leaving]} were theirs), spread {again.spread}"
    )
    print("OK" if result.spread <= 1 and again.spread <= 1 else "SPREAD ABOVE ONE")


if __name__ == "__main__":
    main()
