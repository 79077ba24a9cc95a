"""The assignment's invariants on generated data (seeded): every project exactly k reviews,
no conflict, loads within one, expertise preferred; infeasible rounds named; re-runs keep
what is started and move little. Pure Python: no database."""

from __future__ import annotations

import random

import pytest
from django.utils import translation

from judging.assignment import (
    AssignmentInfeasible,
    Juror,
    Project,
    Shortfall,
    assign,
)

TOPICS = 12


def make_round(seed: int, projects: int, jurors: int, conflict_share: float = 0.02):
    rng = random.Random(seed)
    project_list = [Project(100 + i, rng.randrange(TOPICS)) for i in range(projects)]
    juror_list = [
        Juror(5000 + i, frozenset(rng.sample(range(TOPICS), rng.randint(1, 3))))
        for i in range(jurors)
    ]
    conflicts = {
        (j.id, p.id) for p in project_list for j in juror_list if rng.random() < conflict_share
    }
    return project_list, juror_list, conflicts


def expertise_share(pairs, projects, jurors) -> float:
    topic = {p.id: p.topic_id for p in projects}
    expertise = {j.id: j.expertise for j in jurors}
    return sum(topic[p] in expertise[j] for j, p in pairs) / len(pairs)


def random_assignment(rng, projects, jurors, k, conflicts):
    return {
        (j.id, p.id)
        for p in projects
        for j in rng.sample([j for j in jurors if (j.id, p.id) not in conflicts], k)
    }


def assert_invariants(result, projects, jurors, k, conflicts):
    assert result.reviews == {p.id: k for p in projects}
    assert not result.pairs & conflicts
    loads = {j.id: 0 for j in jurors}
    for juror_id, _project_id in result.pairs:
        loads[juror_id] += 1
    assert result.load == loads
    assert result.spread == max(loads.values()) - min(loads.values())
    assert result.spread <= 1
    total = k * len(projects)
    assert set(loads.values()) <= {total // len(jurors), -(-total // len(jurors))}
    assert result.expertise_share == pytest.approx(expertise_share(result.pairs, projects, jurors))


@pytest.mark.parametrize(
    ("seed", "projects", "jurors", "k"),
    [(1, 10, 7, 3), (2, 60, 25, 5), (3, 150, 60, 5), (4, 300, 41, 4)],
)
def test_every_project_gets_k_conflict_free_reviews_with_balanced_loads(seed, projects, jurors, k):
    projects, jurors, conflicts = make_round(seed, projects, jurors, conflict_share=0.05)

    result = assign(projects, jurors, k=k, conflicts=conflicts)

    assert_invariants(result, projects, jurors, k, conflicts)
    assert result.warnings == []
    random_share = expertise_share(
        random_assignment(random.Random(seed), projects, jurors, k, conflicts), projects, jurors
    )
    assert result.expertise_share > random_share


def test_an_infeasible_round_names_the_projects_short_of_jurors():
    jurors = [Juror(1), Juror(2), Juror(3), Juror(4)]
    projects = [Project(17), Project(18), Project(19)]
    conflicts = {(1, 17), (2, 17), (3, 19)}

    with pytest.raises(AssignmentInfeasible) as caught:
        assign(projects, jurors, k=3, conflicts=conflicts)

    assert caught.value.shortfalls == [Shortfall(17, 2, 3)]
    with translation.override("en"):
        assert caught.value.shortfalls[0].reason == (
            "Project 17: only 2 jurors without conflict for 3 reviews"
        )
    assert "17" in caught.value.message


def test_too_few_jurors_for_k_is_infeasible_for_every_project():
    with pytest.raises(AssignmentInfeasible) as caught:
        assign([Project(1), Project(2)], [Juror(7), Juror(8)], k=3)

    assert caught.value.shortfalls == [Shortfall(1, 2, 3), Shortfall(2, 2, 3)]
    assert not caught.value.shortfalls[0].by_capacity
    with translation.override("en"):
        assert Shortfall(3, 1, 2).reason == "Project 3: only 1 juror without conflict for 2 reviews"


def test_capacities_that_cannot_carry_the_round_are_infeasible():
    jurors = [Juror(1, capacity=1), Juror(2, capacity=1), Juror(3, capacity=2)]

    with pytest.raises(AssignmentInfeasible) as caught:
        assign([Project(10), Project(11), Project(12)], jurors, k=2)

    # 4 reviews' capacity for 6: the shortfall is named per project.
    shortfalls = caught.value.shortfalls
    assert sum(s.reviews - s.available for s in shortfalls) == 2
    assert all(s.by_capacity for s in shortfalls)
    with translation.override("en"):
        assert "the jurors' capacities leave only" in shortfalls[0].reason


def test_capacities_are_respected():
    projects, jurors, conflicts = make_round(5, 40, 10)
    jurors[0] = Juror(jurors[0].id, jurors[0].expertise, capacity=3)

    result = assign(projects, jurors, k=3, conflicts=conflicts)

    assert result.load[jurors[0].id] == 3
    assert result.reviews == {p.id: 3 for p in projects}
    # 120 reviews, 3 for the limited juror: the others share 117 within one.
    assert {result.load[j.id] for j in jurors[1:]} == {13}
    assert result.spread == 10
    assert result.warnings


def test_expertise_is_preferred_where_it_exists():
    jurors = [Juror(1, frozenset({1})), Juror(2, frozenset({2})), Juror(3, frozenset({3}))]
    projects = [Project(10, 1), Project(20, 2), Project(30, 3)]

    result = assign(projects, jurors, k=1)

    assert result.pairs == {(1, 10), (2, 20), (3, 30)}
    assert result.expertise_share == 1.0


def test_kept_pairs_stay_and_count_toward_the_load():
    projects, jurors, conflicts = make_round(6, 60, 20)
    first = assign(projects, jurors, k=5, conflicts=conflicts)
    rng = random.Random(6)
    # Reviews already started: half of them, taken from the first run.
    kept = set(rng.sample(sorted(first.pairs), len(first.pairs) // 2))

    result = assign(projects, jurors, k=5, conflicts=conflicts, kept=kept)

    assert kept <= result.pairs
    assert_invariants(result, projects, jurors, 5, conflicts)


def test_kept_pairs_beyond_the_balance_stay_and_the_spread_is_reported():
    projects = [Project(i) for i in range(6)]
    jurors = [Juror(1), Juror(2), Juror(3)]
    kept = {(1, p.id) for p in projects}  # juror 1 started all six

    result = assign(projects, jurors, k=2, kept=kept)

    assert kept <= result.pairs
    assert result.load == {1: 6, 2: 3, 3: 3}
    assert result.spread == 3
    assert len(result.warnings) == 1


def test_a_kept_pair_that_became_a_conflict_is_reassigned():
    projects = [Project(1), Project(2)]
    jurors = [Juror(1), Juror(2), Juror(3)]

    result = assign(projects, jurors, k=1, kept={(1, 1)}, conflicts={(1, 1)})

    assert (1, 1) not in result.pairs
    assert result.reviews == {1: 1, 2: 1}


def test_a_rerun_after_a_juror_leaves_moves_only_that_jurors_reviews():
    projects, jurors, conflicts = make_round(7, 200, 50)
    first = assign(projects, jurors, k=5, conflicts=conflicts)
    leaving = jurors[3].id
    staying = [j for j in jurors if j.id != leaving]
    started = {pair for pair in first.pairs if pair[1] % 3 == 0 and pair[0] != leaving}

    result = assign(projects, staying, k=5, conflicts=conflicts, kept=started, previous=first.pairs)

    assert_invariants(result, projects, staying, 5, conflicts)
    # Everything of the staying jurors stays; only the leaver's 20 reviews move.
    assert {p for p in first.pairs if p[0] != leaving} <= result.pairs
    assert len(result.pairs - first.pairs) == first.load[leaving] == 20


def test_a_rerun_after_a_juror_joins_moves_only_what_the_newcomer_takes():
    projects, jurors, conflicts = make_round(8, 200, 50)
    first = assign(projects, jurors, k=5, conflicts=conflicts)
    newcomer = Juror(9999, frozenset({1, 2}))

    result = assign(projects, [*jurors, newcomer], k=5, conflicts=conflicts, previous=first.pairs)

    assert_invariants(result, projects, [*jurors, newcomer], 5, conflicts)
    moved = first.pairs - result.pairs
    # 1,000 reviews over 51 jurors: the newcomer takes 19 or 20, and nothing else moves.
    assert len(moved) == result.load[newcomer.id] >= 19
    assert result.pairs - first.pairs == {p for p in result.pairs if p[0] == newcomer.id}
    assert len(first.pairs & result.pairs) >= 0.98 * len(first.pairs)


def test_a_rerun_without_changes_changes_nothing():
    projects, jurors, conflicts = make_round(9, 80, 30)
    first = assign(projects, jurors, k=5, conflicts=conflicts)

    again = assign(projects, jurors, k=5, conflicts=conflicts, previous=first.pairs)

    assert again.pairs == first.pairs


def test_kept_pairs_outside_the_round_are_refused():
    with pytest.raises(ValueError, match="outside the round"):
        assign([Project(1)], [Juror(1)], k=1, kept={(2, 1)})
