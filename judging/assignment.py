"""Who reviews which project in a judging round: a min-cost flow, as HotCRP's autoassigner
and OpenReview's matcher solve it, with OR-Tools' SimpleMinCostFlow.

Pure: plain ids in, plain pairs out, nothing of the database; the services load the round,
call assign() and save what it returns (nothing when it raises AssignmentInfeasible).

The network: the source supplies each project the reviews it still needs (k minus the
kept ones); a project sends one unit to each juror without a conflict (cheaper when the
juror's expertise covers the project's topic field, cheaper still when the pair existed
before, so that a re-run moves as little as possible); each juror sends their units to
the sink through one arc per further review, of rising cost: the m-th review of a juror
costs more than the (m-1)-th, so a juror's load costs in proportion to its square (see
_load_arcs) and the loads come out as even as the conflicts, capacities and started
reviews allow: within one whenever the pool allows it (the result says when not).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field

import numpy as np
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from ortools.graph.python import min_cost_flow

from judging.errors import JudgingError

# Unit costs of a review (project -> juror arc). A pair that existed before costs less than
# any new one, matched or not: a re-run keeps what it can before it chases expertise.
OUTSIDE_EXPERTISE_COST = 2
NEW_PAIR_COST = 3
_MOST_PAIR_COST = OUTSIDE_EXPERTISE_COST + NEW_PAIR_COST

Pair = tuple[int, int]  # (juror_id, project_id)


@dataclass(frozen=True)
class Project:
    id: int
    topic_id: int | None = None


@dataclass(frozen=True)
class Juror:
    id: int
    expertise: frozenset[int] = frozenset()  # topic field ids
    capacity: int | None = None  # most reviews this juror takes (None: no limit of their own)


@dataclass(frozen=True)
class Shortfall:
    """A project that cannot get its k reviews: too few jurors without a conflict, or
    (`by_capacity`) the jurors' capacities run out."""

    project_id: int
    available: int  # jurors without conflict, or the reviews the capacities leave it
    reviews: int  # k
    by_capacity: bool = False

    @property
    def reason(self) -> str:
        values = {"project": self.project_id, "available": self.available, "reviews": self.reviews}
        if self.by_capacity:
            return (
                _(
                    "Project %(project)s: the jurors' capacities leave only %(available)d of "
                    "%(reviews)d reviews"
                )
                % values
            )
        return (
            ngettext(
                "Project %(project)s: only %(available)d juror without conflict for "
                "%(reviews)d reviews",
                "Project %(project)s: only %(available)d jurors without conflict for "
                "%(reviews)d reviews",
                self.available,
            )
            % values
        )


class AssignmentInfeasible(JudgingError):
    """The round cannot be assigned as asked; `shortfalls` names the projects and why."""

    def __init__(self, shortfalls: list[Shortfall], message: str | None = None) -> None:
        self.shortfalls = shortfalls
        super().__init__(message or "; ".join(s.reason for s in shortfalls), conflict=True)


@dataclass
class Assignment:
    """Every (juror_id, project_id) pair of the round, the kept ones included, and its
    figures: reviews per juror and per project, the share of reviews whose juror's
    expertise covers the project's topic field, and the spread of the loads."""

    pairs: frozenset[Pair]
    load: dict[int, int]  # juror id -> reviews
    reviews: dict[int, int]  # project id -> reviews
    expertise_share: float
    spread: int  # most minus fewest reviews of a juror
    warnings: list[str] = field(default_factory=list)

    @property
    def balanced(self) -> bool:
        return self.spread <= 1


def assign(
    projects: Iterable[Project],
    jurors: Iterable[Juror],
    *,
    k: int,
    conflicts: Collection[Pair] = frozenset(),
    kept: Collection[Pair] = frozenset(),
    previous: Collection[Pair] = frozenset(),
) -> Assignment:
    """Gives each project k reviews from jurors without a conflict.

    `kept` pairs (reviews already started) stay whatever it costs and count toward their
    juror's load; a kept pair that has become a conflict does not stay (the juror declared
    it: the project is taken from them). `previous` pairs (assigned before, not started)
    are kept where the balance allows; pairs naming a juror no longer in the pool are
    simply gone. Raises AssignmentInfeasible, naming the projects, when the conflicts (or
    the jurors' capacities) leave some project fewer than k jurors."""
    projects = list(projects)
    jurors = list(jurors)
    if k < 1:
        raise ValueError("k must be at least 1")
    project_index = {p.id: i for i, p in enumerate(projects)}
    juror_index = {j.id: i for i, j in enumerate(jurors)}
    if len(project_index) != len(projects) or len(juror_index) != len(jurors):
        raise ValueError("project and juror ids must be unique")
    n_projects, n_jurors = len(projects), len(jurors)
    if not projects:
        return _figures(frozenset(), projects, jurors, [])

    # allowed[p, j]: juror j may be given project p (no conflict, not kept already).
    allowed = np.ones((n_projects, n_jurors), dtype=bool)
    for juror_id, project_id in conflicts:
        if juror_id in juror_index and project_id in project_index:
            allowed[project_index[project_id], juror_index[juror_id]] = False
    kept_pairs = set()
    for pair in kept:
        juror_id, project_id = pair
        if juror_id not in juror_index or project_id not in project_index:
            raise ValueError(f"kept pair {pair} names a juror or project outside the round")
        if allowed[project_index[project_id], juror_index[juror_id]]:
            kept_pairs.add(pair)
    kept_per_project = Counter(project_index[p] for _j, p in kept_pairs)
    kept_load = np.zeros(n_jurors, dtype=np.int64)
    for juror_id, project_id in kept_pairs:
        kept_load[juror_index[juror_id]] += 1
        allowed[project_index[project_id], juror_index[juror_id]] = False

    need = np.array([max(k - kept_per_project[i], 0) for i in range(n_projects)], np.int64)
    free = allowed.sum(axis=1)
    shortfalls = [
        Shortfall(projects[i].id, int(free[i]) + kept_per_project[i], k)
        for i in np.flatnonzero(need > free)
    ]
    if shortfalls:
        raise AssignmentInfeasible(shortfalls)

    # Nodes: 0 source, 1 sink, projects 2.., jurors after them.
    source, sink, first_project, first_juror = 0, 1, 2, 2 + n_projects
    wanted = int(need.sum())

    matches = _matches(projects, jurors)
    costs = np.where(matches, 0, OUTSIDE_EXPERTISE_COST) + NEW_PAIR_COST
    for juror_id, project_id in previous:
        if juror_id in juror_index and project_id in project_index:
            costs[project_index[project_id], juror_index[juror_id]] -= NEW_PAIR_COST
    review_p, review_j = np.nonzero(allowed)
    load_tails, load_capacities, load_costs = _load_arcs(jurors, kept_load, wanted)
    load_tails += first_juror

    tails = np.concatenate([
        np.full(n_projects, source, np.int32),
        (review_p + first_project).astype(np.int32),
        load_tails,
    ])  # fmt: skip
    heads = np.concatenate([
        np.arange(n_projects, dtype=np.int32) + first_project,
        (review_j + first_juror).astype(np.int32),
        np.full(len(load_tails), sink, np.int32),
    ])  # fmt: skip
    capacities = np.concatenate([need, np.ones(len(review_p), np.int64), load_capacities])
    unit_costs = np.concatenate([
        np.zeros(n_projects, np.int64),
        costs[review_p, review_j].astype(np.int64),
        load_costs,
    ])  # fmt: skip

    flow = min_cost_flow.SimpleMinCostFlow()
    review_arcs = flow.add_arcs_with_capacity_and_unit_cost(tails, heads, capacities, unit_costs)
    review_arcs = np.asarray(review_arcs)[n_projects : n_projects + len(review_p)]
    supplies = np.zeros(first_juror + n_jurors, np.int64)
    supplies[source], supplies[sink] = wanted, -wanted
    flow.set_nodes_supplies(np.arange(len(supplies), dtype=np.int32), supplies)
    status = flow.solve()
    if status == flow.INFEASIBLE:
        # Only the jurors' capacities can cause it (every project has enough jurors
        # without conflict): the most that can be assigned shows which projects fall short.
        flow.solve_max_flow_with_min_cost()
        got = np.asarray(flow.flows(np.arange(n_projects, dtype=np.int32)))
        raise AssignmentInfeasible(
            [
                Shortfall(projects[i].id, int(got[i]) + kept_per_project[i], k, by_capacity=True)
                for i in np.flatnonzero(got < need)
            ]
        )
    if status != flow.OPTIMAL:
        raise RuntimeError(f"min-cost flow failed: {status}")

    used = np.asarray(flow.flows(review_arcs.astype(np.int32))) > 0
    pairs = set(kept_pairs)
    pairs.update(
        (jurors[j].id, projects[p].id)
        for p, j in zip(review_p[used].tolist(), review_j[used].tolist(), strict=True)
    )
    warnings = []
    result = _figures(frozenset(pairs), projects, jurors, warnings, matches)
    if not result.balanced:
        warnings.append(
            _(
                "Reviews per juror differ by %(spread)d, not at most one: the conflicts, "
                "capacities or reviews already started allow no closer balance."
            )
            % {"spread": result.spread}
        )
    return result


def _load_arcs(
    jurors: list[Juror], kept_load: np.ndarray, wanted: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The juror -> sink arcs: one per further review a juror may take, the m-th of their
    load costing `weight` * (2m - 1), so that a juror's load costs `weight` * load²
    (the kept reviews included). The smallest sum of squares for a fixed total is the
    most even split: loads within one whenever the pool allows it, and as even as it
    allows otherwise. `weight` exceeds what all the expertise and stability of a
    solution could gain (sums of squares of equal totals differ by at least 2), so the
    balance comes first. Levels beyond twice the even share are one arc at the next
    level's cost: only a pool that cannot be balanced gets there."""
    n_jurors = len(jurors)
    total = wanted + int(kept_load.sum())
    top = 2 * -(-total // n_jurors) + 2
    weight = _MOST_PAIR_COST * wanted // 2 + 1
    tails, capacities, costs = [], [], []
    for i, juror in enumerate(jurors):
        kept_i = int(kept_load[i])
        limit = wanted if juror.capacity is None else max(juror.capacity - kept_i, 0)
        highest = kept_i + limit
        single = range(kept_i + 1, min(max(kept_i, top), highest) + 1)
        tails.extend([i] * len(single))
        capacities.extend([1] * len(single))
        costs.extend(weight * (2 * m - 1) for m in single)
        rest = highest - max(kept_i, top)
        if rest > 0:
            tails.append(i)
            capacities.append(rest)
            costs.append(weight * (2 * (max(kept_i, top) + 1) - 1))
    return (
        np.array(tails, dtype=np.int32),
        np.array(capacities, dtype=np.int64),
        np.array(costs, dtype=np.int64),
    )


def _matches(projects: list[Project], jurors: list[Juror]) -> np.ndarray:
    """matches[p, j]: juror j's expertise covers project p's topic field."""
    topics = sorted({p.topic_id for p in projects if p.topic_id is not None})
    topic_index = {t: i for i, t in enumerate(topics)}
    expertise = np.zeros((len(jurors), len(topics) + 1), dtype=bool)  # last column: no topic
    for i, juror in enumerate(jurors):
        for topic in juror.expertise:
            if topic in topic_index:
                expertise[i, topic_index[topic]] = True
    project_topic = np.array(
        [topic_index.get(p.topic_id, len(topics)) for p in projects], dtype=np.int64
    )
    return expertise[:, project_topic].T


def _figures(pairs, projects, jurors, warnings, matches=None) -> Assignment:
    load = {j.id: 0 for j in jurors}
    reviews = {p.id: 0 for p in projects}
    for juror_id, project_id in pairs:
        load[juror_id] += 1
        reviews[project_id] += 1
    share = 0.0
    if pairs and matches is not None:
        project_index = {p.id: i for i, p in enumerate(projects)}
        juror_index = {j.id: i for i, j in enumerate(jurors)}
        matched = sum(bool(matches[project_index[p], juror_index[j]]) for j, p in pairs)
        share = matched / len(pairs)
    spread = max(load.values()) - min(load.values()) if load else 0
    return Assignment(pairs, load, reviews, share, spread, warnings)
