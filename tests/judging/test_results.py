"""judging.results: the arithmetic (pure functions) and round_results on the database."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from judging.results import (
    juror_z_scores,
    normalised_scores,
    review_score,
    round_results,
    shared_ranks,
    spread,
)
from judging.services import round_create
from tests.factories import TopicFactory
from tests.judging.results_data import judged_project, juror, many_judged_projects, review

# --- pure functions -----------------------------------------------------------------------------


def test_review_score_is_the_weighted_mean_of_the_criteria():
    # (3·5 + 1·1) / (3 + 1) = 16 / 4 = 4
    assert review_score({1: 5, 2: 1}, {1: 3, 2: 1}) == 4.0
    assert review_score({1: 5, 2: 1}, {1: 1, 2: 1}) == 3.0


def test_review_score_ignores_criteria_without_a_value():
    assert review_score({1: 4}, {1: 2, 2: 1}) == 4.0
    assert review_score({}, {1: 1}) is None


def test_z_scores_of_a_juror_with_one_review_or_no_variation_are_zero():
    z = juror_z_scores([("a", "single", 5.0), ("b", "flat", 3.0), ("c", "flat", 3.0)])
    assert z == {"a": 0.0, "b": 0.0, "c": 0.0}


def test_z_scores_are_per_juror():
    # Juror 1: 2 and 4 (mean 3, population std 1); juror 2: 1 and 5 (mean 3, std 2).
    z = juror_z_scores([("a", 1, 2.0), ("b", 1, 4.0), ("c", 2, 1.0), ("d", 2, 5.0)])
    assert z == {"a": -1.0, "b": 1.0, "c": -1.0, "d": 1.0}


def test_shared_ranks_are_competition_ranks_on_two_decimals():
    assert shared_ranks([4.0, 3.0, 3.0, 2.0]) == [1, 2, 2, 4]
    # 3.004 and 2.996 both round to 3.00: a tie.
    assert shared_ranks([3.004, 2.996, 3.1]) == [2, 2, 1]
    assert shared_ranks([None, 1.0]) == [None, 1]


def test_spread_is_the_range_and_population_std():
    assert spread([2.0, 5.0]) == (3.0, 1.5)
    assert spread([]) == (None, None)


def test_normalised_scores_are_clipped_to_the_scale():
    scores = [("r1", "j", "A", 5.0), ("r2", "j", "B", 1.0), ("r3", "k", "A", 5.0)]
    result = normalised_scores(scores, scale_min=1, scale_max=5)
    assert 1 <= result["B"] < result["A"] <= 5


# --- round_results ------------------------------------------------------------------------------

ONE_CRITERION = [{"name": "Gesamteindruck", "scale_min": 1, "scale_max": 5, "weight": 1}]


@pytest.fixture
def one_criterion_round(event, organiser):
    return round_create(
        event=event,
        actor=organiser,
        name="Vorauswahl",
        reviews_per_project=2,
        criteria=ONE_CRITERION,
    )


def _by_title(results):
    return {row.project.title: row for row in results.rows}


@pytest.mark.django_db
def test_hand_computed_example_normalises_a_harsh_and_a_lenient_juror(one_criterion_round):
    """One criterion (1–5), k = 2. The harsh juror H scores A 3, X 1, Z 2; the lenient
    juror L scores B 4, Y 5, Z 5.

    H: mean 2, population std √(2/3) = 0.8165 → z: A +1.2247, X −1.2247, Z 0.
    L: mean 4.6667, std 0.4714 → z: B −1.4142, Y +0.7071, Z +0.7071.
    All six scores: mean 3.3333, std 1.4907.
    Normalised = 3.3333 + mean z · 1.4907, clipped to 1–5:
      A 5.159 → 5.00, Y 4.3874, Z (z 0.3536) 3.8604, X 1.5076, B 1.2251.
    Means: A 3, B 4, X 1, Y 5, Z 3.5: the lenient juror's worst (B, 4) ends below the
    harsh juror's best (A, 3). Spread of Z: 5 − 2 = 3, std 1.5. Every project but Z has
    one review of two: flagged.
    """
    round = one_criterion_round
    h, lenient = juror(round), juror(round)
    projects = {title: judged_project(round, title=title) for title in "ABXYZ"}
    for title, value in [("A", 3), ("X", 1), ("Z", 2)]:
        review(h, projects[title], [value])
    for title, value in [("B", 4), ("Y", 5), ("Z", 5)]:
        review(lenient, projects[title], [value])

    rows = _by_title(round_results(round=round))

    expected = {"A": 5.0, "Y": 4.3874, "Z": 3.8604, "X": 1.5076, "B": 1.2251}
    for title, value in expected.items():
        assert rows[title].normalised == pytest.approx(value, abs=1e-4)
    assert {t: rows[t].mean for t in "ABXYZ"} == {"A": 3, "B": 4, "X": 1, "Y": 5, "Z": 3.5}
    assert [rows[t].rank for t in "AYZXB"] == [1, 2, 3, 4, 5]
    assert (rows["Z"].spread, rows["Z"].std, rows["Z"].reviews) == (3, 1.5, 2)
    assert not rows["Z"].flagged
    assert all(rows[t].flagged and rows[t].reviews == 1 for t in "ABXY")
    assert rows["A"].spread == 0


@pytest.mark.django_db
def test_weights_count_in_the_mean(event, organiser):
    round = round_create(
        event=event,
        actor=organiser,
        name="Gewichtet",
        reviews_per_project=1,
        criteria=[{"name": "Wirkung", "weight": 3}, {"name": "Klarheit", "weight": 1}],
    )
    a, b = judged_project(round, title="Wirkung"), judged_project(round, title="Klarheit")
    j = juror(round)
    review(j, a, [5, 1])  # (15 + 1) / 4 = 4
    review(j, b, [1, 5])  # (3 + 5) / 4 = 2

    rows = _by_title(round_results(round=round))

    assert rows["Wirkung"].mean == 4.0
    assert rows["Klarheit"].mean == 2.0
    assert rows["Wirkung"].rank == 1


@pytest.mark.django_db
def test_ties_share_a_rank_overall_in_topic_and_category(event, organiser):
    round = round_create(
        event=event,
        actor=organiser,
        name="Gleichstand",
        reviews_per_project=1,
        criteria=ONE_CRITERION,
    )
    health, mobility = (
        TopicFactory(event=event, name="Gesundheit"),
        TopicFactory(event=event, name="Mobilität"),
    )
    j = juror(round)  # one juror: every z is relative to the same mean
    plan = [
        ("P1", health, "new_build", 5),
        ("P2", health, "new_build", 4),
        ("P3", mobility, "new_build", 4),
        ("P4", mobility, "extension", 2),
    ]
    for title, topic, category, value in plan:
        review(j, judged_project(round, title=title, topic=topic, category=category), [value])

    results = round_results(round=round)
    rows = _by_title(results)

    assert [rows[t].rank for t in ["P1", "P2", "P3", "P4"]] == [1, 2, 2, 4]
    assert [rows[t].topic_rank for t in ["P1", "P2", "P3", "P4"]] == [1, 2, 1, 2]
    assert [rows[t].category_rank for t in ["P1", "P2", "P3", "P4"]] == [1, 2, 2, 1]
    assert [group.label for group in results.by_topic] == ["Gesundheit", "Mobilität"]
    assert [group.label for group in results.by_category] == [
        "Extension of an existing solution",
        "New build",
    ]


@pytest.mark.django_db
def test_drafts_do_not_count_and_unreviewed_projects_are_unranked_and_flagged(one_criterion_round):
    round = one_criterion_round
    j = juror(round)
    scored, drafted = (
        judged_project(round, title="Bewertet"),
        judged_project(round, title="Entwurf"),
    )
    review(j, scored, [4])
    review(juror(round), drafted, [5], submitted=False)

    results = round_results(round=round)
    rows = _by_title(results)

    assert rows["Entwurf"].reviews == 0 and rows["Entwurf"].mean is None
    assert rows["Entwurf"].rank is None and rows["Entwurf"].flagged
    assert results.rows[-1].project.title == "Entwurf"  # unranked last
    assert rows["Bewertet"].rank == 1
    assert results.flagged_count == 2  # k = 2: both


def _count_queries(round) -> int:
    with CaptureQueriesContext(connection) as queries:
        results = round_results(round=round)
        assert results.rows
    return len(queries)


@pytest.mark.django_db
def test_round_results_reads_in_the_same_number_of_queries_for_5_and_500_projects(event, organiser):
    small = round_create(event=event, actor=organiser, name="Klein")
    many_judged_projects(small, 5)
    large = round_create(event=event, actor=organiser, name="Groß")
    many_judged_projects(large, 500)

    assert _count_queries(small) == _count_queries(large) == 5
    assert len(round_results(round=large).rows) == 500
