"""Issue 10's "done when", in a real browser on the demo data itself (`seed_demo`), in
German and in English: the organiser opens the running edition's round, runs the
assignment and sees its progress and result; juror@example.org opens their queue, scores
a project with the keyboard alone and submits it; the organiser closes the round,
shortlists the top projects and publishes; every judged team is told; the public
results page shows the shortlisted projects.

Selectors are ids, names, roles and data-testids, never texts (the German catalogue may
not have every judging string yet); the language is asserted through <html lang>.

The assignment run goes the way it goes in production: the request puts the task on a
real Redis queue, and a real Celery worker process, started only once the page has been
seen waiting (and polling, still at 0 %), takes it from there; the page's own htmx
polling then swaps in the result. So the test is an integration test too: it needs
PostgreSQL and Redis (a worker cannot see SQLite's test database) and is skipped without
them, failed under REQUIRE_SERVICES=1. The rest of the journey runs its tasks eagerly, as
every other test does, so the outcome mails land in `mailoutbox`.

Every page of the journey passes axe without a serious or critical violation and is kept
as a full-page screenshot (under E2E_SCREENSHOTS_DIR if set, else the test's tmp_path:
`<dir>/<test id>/NN-<page>.png`); the `page` fixture also asserts that nothing broke the
Content Security Policy and that no request left the site.
"""

from __future__ import annotations

import base64
import io
import json
import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest
import redis
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.core.management import call_command

from accounts.models import User
from events.demo import DEMO_EVENT_SLUG, DEMO_PASSWORD, ORGANISER
from events.models import Event
from judging.demo import JUROR, ROUND_NAME
from judging.enums import ReviewStatus, RoundStatus, RunStatus
from judging.models import (
    Assignment,
    AssignmentRun,
    JudgingRound,
    Review,
    ShortlistEntry,
    TeamOutcomeNotice,
)
from notifications.models import Notification
from teams.models import Membership
from tests.conftest import through_the_broker
from tests.e2e.helpers import log_in, own_browser, submit
from tests.processes import start_worker, worker_env

# integration: the assignment run is carried out by a worker process (see the docstring).
pytestmark = [pytest.mark.e2e, pytest.mark.integration]

BLOCKING_IMPACTS = {"serious", "critical"}
SHORTLIST = 2
FEEDBACK = "Sprecht früh mit denen, die es nutzen sollen."
SCORE_STEPS = 3  # from the lowest value, three arrow presses: 4 on a 1–5 scale


@pytest.fixture
def demo(db):
    call_command("seed_demo", stdout=io.StringIO())
    event = Event.objects.get(slug=DEMO_EVENT_SLUG)
    round = JudgingRound.objects.get(event=event, name=ROUND_NAME)
    assert round.status == RoundStatus.OPEN, "the demo's running round is open"
    return {"event": event, "round": round, "juror": User.objects.get(email=JUROR[0])}


@pytest.fixture
def broker():
    """The test's Redis queue, emptied of what an earlier run may have left there (only
    this queue's list: a FLUSHDB would take what other processes share)."""
    client = redis.Redis.from_url(settings.REDIS_URL)
    client.delete(settings.CELERY_TASK_DEFAULT_QUEUE)
    yield client
    client.close()


@pytest.fixture
def worker_starter(demo, broker, tmp_path) -> Callable:
    """Starts the Celery worker when the test says so (at most once). Set up after `demo`,
    so it is stopped before the test database is emptied."""
    started = []

    def start():
        assert not started, "one worker per test"
        env = worker_env(
            REDIS_URL=settings.REDIS_URL,
            CELERY_QUEUE=settings.CELERY_TASK_DEFAULT_QUEUE,
            EMAIL_HOST="",  # any mail its tasks send goes to its log
        )
        # Set for Playwright's event loop in this process only (tests/e2e/conftest.py).
        env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        started.append(
            start_worker(
                env=env,
                log_path=tmp_path / "worker.log",
                queue=settings.CELERY_TASK_DEFAULT_QUEUE,
            )
        )
        return started[0]

    yield start
    for worker in started:
        worker.stop()


@pytest.fixture
def screenshot(request, tmp_path) -> Callable:
    """Keeps a full-page screenshot of a page of the journey, numbered in its order."""
    base = os.environ.get("E2E_SCREENSHOTS_DIR")
    directory = (
        Path(base) / re.sub(r"[^\w.-]+", "_", request.node.name).strip("_")
        if base
        else tmp_path / "screenshots"
    )
    directory.mkdir(parents=True, exist_ok=True)
    taken = []

    def take(page, name: str) -> Path:
        taken.append(name)
        path = directory / f"{len(taken):02d}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


def _queued_tasks(broker) -> list[tuple[str, dict]]:
    """What waits on the test's queue: (task name, keyword arguments) per message, in
    kombu's Redis format (a JSON envelope, the body base64-encoded JSON)."""
    queued = []
    for raw in broker.lrange(settings.CELERY_TASK_DEFAULT_QUEUE, 0, -1):
        message = json.loads(raw)
        _args, kwargs, _embed = json.loads(base64.b64decode(message["body"]))
        queued.append((message["headers"]["task"], kwargs))
    return queued


def _speak(page, live_server, language: str) -> None:
    page.context.add_cookies([{"name": "language", "value": language, "url": live_server.url}])


def _assert_language(page, language: str) -> None:
    assert page.locator("html").get_attribute("lang") == language


def _assert_accessible(page) -> None:
    results = Axe().run(page, options={"preload": False})
    blocking = [
        f"{violation['id']} ({violation['impact']}): {violation['help']} — "
        + "; ".join(node["target"][0] for node in violation["nodes"][:5])
        for violation in results.response["violations"]
        if violation["impact"] in BLOCKING_IMPACTS
    ]
    assert blocking == [], page.url


def _focused_name(page) -> str | None:
    return page.evaluate("document.activeElement && document.activeElement.name")


def _organiser_runs_the_assignment(
    page, live_server, round, language, *, broker, start_worker, screenshot
) -> AssignmentRun:
    page.goto(f"{live_server.url}/judging/events/{round.event.slug}/")
    _assert_language(page, language)
    screenshot(page, "organiser-rounds")
    with page.expect_navigation():
        page.locator(f"[data-testid=rounds] a[href='/judging/rounds/{round.pk}/']").click()
    _assert_language(page, language)
    _assert_accessible(page)
    screenshot(page, "organiser-round")

    with through_the_broker():
        # No worker yet: the task waits on the queue, and the page is seen waiting.
        submit(page, page.locator("[data-testid=run-form]"))
        run = AssignmentRun.objects.filter(round=round).order_by("-created_at", "-pk").first()
        assert _queued_tasks(broker) == [("judging.run_assignment", {"run_id": run.pk})]
        run_url = f"{live_server.url}/judging/runs/{run.pk}/"
        assert page.url == run_url
        progress = page.locator("[data-testid=run-progress]")
        assert progress.get_attribute("aria-live") == "polite"
        assert progress.get_attribute("hx-get"), "the progress polls while the run waits"
        assert progress.locator("progress").get_attribute("value") == "0"
        # One poll while nobody works on it: still waiting, still polling.
        with page.expect_response(lambda response: response.url.endswith("/progress/")):
            pass
        progress.locator("progress").wait_for()
        assert progress.locator("progress").get_attribute("value") == "0"
        run.refresh_from_db()
        assert run.status == RunStatus.PENDING
        _assert_accessible(page)
        screenshot(page, "organiser-run-waiting")

        worker = start_worker()
        result = page.locator("[data-testid=run-result]")
        try:
            # Swapped in by the page's own polling, no reload.
            result.wait_for(timeout=30_000)
        except Exception:
            pytest.fail(f"The run's result never showed.\n{worker.log_tail()}")
    assert page.url == run_url
    assert progress.locator("progress").count() == 0
    run.refresh_from_db()
    assert run.status == RunStatus.DONE and run.progress == 100
    assert re.search(r"Task judging\.run_assignment\[[^\]]+\] succeeded", worker.log_text()), (
        "the worker carried it out"
    )
    # The result: the load per juror (one row each), within one; started reviews kept.
    assert result.locator("[data-testid=load-per-juror] tbody tr").count() == round.jurors.count()
    assert run.result["spread"] <= 1
    assert run.result["kept"] >= 1, "the reviews the demo's jurors started are kept"
    _assert_language(page, language)
    _assert_accessible(page)
    screenshot(page, "organiser-run-done")
    return run


def _juror_scores_with_the_keyboard(
    browser, live_server, round, juror, language, *, screenshot
) -> Assignment:
    with own_browser(browser, live_server, juror.email, DEMO_PASSWORD) as (juror_page, errors):
        _speak(juror_page, live_server, language)
        juror_page.goto(f"{live_server.url}/judging/reviews/")
        _assert_language(juror_page, language)
        screenshot(juror_page, "juror-reviews")
        with juror_page.expect_navigation():
            juror_page.locator(f"main a[href='/judging/rounds/{round.pk}/queue/']").first.click()
        _assert_language(juror_page, language)
        _assert_accessible(juror_page)
        screenshot(juror_page, "juror-queue")

        to_do = juror_page.locator(
            "section[aria-labelledby=to-do-heading] a[href^='/judging/assignments/']"
        )
        href = to_do.first.get_attribute("href")
        assignment = Assignment.objects.select_related("project").get(
            pk=int(re.search(r"/assignments/(\d+)/", href).group(1))
        )
        assert assignment.juror.user_id == juror.pk
        with juror_page.expect_navigation():
            to_do.first.click()
        _assert_language(juror_page, language)
        _assert_accessible(juror_page)
        screenshot(juror_page, "juror-review")

        # The keyboard alone: into the first criterion's radio group, Space chooses the
        # lowest value and the arrows move up; Tab goes on to the next criterion.
        criteria = list(round.criteria.order_by("position", "pk"))
        names = [f"score_{criterion.pk}" for criterion in criteria]
        juror_page.locator(f"input[name={names[0]}]").first.focus()
        for name in names:
            assert _focused_name(juror_page) == name
            juror_page.keyboard.press("Space")
            for _step in range(SCORE_STEPS):
                juror_page.keyboard.press("ArrowRight")
            juror_page.keyboard.press("Tab")
        assert _focused_name(juror_page) == "comment_for_organisers"
        juror_page.keyboard.type("Solide umgesetzt; der Betrieb ist noch offen.")
        juror_page.keyboard.press("Tab")
        assert _focused_name(juror_page) == "feedback_for_team"
        juror_page.keyboard.type(FEEDBACK)
        juror_page.keyboard.press("Tab")
        assert _focused_name(juror_page) == "draft"
        juror_page.keyboard.press("Tab")
        assert _focused_name(juror_page) == "submit"
        screenshot(juror_page, "juror-review-filled")
        with juror_page.expect_navigation():
            juror_page.keyboard.press("Enter")

        review = Review.objects.get(assignment=assignment)
        assert review.status == ReviewStatus.SUBMITTED
        expected = criteria[0].scale_min + SCORE_STEPS
        assert sorted(review.scores.values_list("criterion_id", "value")) == sorted(
            (criterion.pk, expected) for criterion in criteria
        )
        assert review.feedback_for_team == FEEDBACK

        juror_page.goto(f"{live_server.url}/judging/rounds/{round.pk}/queue/")
        done = juror_page.locator("section[aria-labelledby=done-heading]")
        assert done.locator(f"a[href='/judging/assignments/{assignment.pk}/']").count() == 1
        screenshot(juror_page, "juror-queue-done")
        assert errors == []
    return assignment


def _organiser_closes_shortlists_and_publishes(
    page, live_server, round, language, *, screenshot
) -> list:
    page.goto(f"{live_server.url}/judging/rounds/{round.pk}/")
    screenshot(page, "organiser-round-before-closing")
    submit(page, page.locator("[data-testid=close-form]"))
    round.refresh_from_db()
    assert round.status == RoundStatus.CLOSED
    screenshot(page, "organiser-round-closed")

    page.goto(f"{live_server.url}/judging/rounds/{round.pk}/results/")
    _assert_language(page, language)
    screenshot(page, "organiser-results")
    form = page.locator("[data-testid=shortlist-top-form]")
    form.locator("input[name=n]").fill(str(SHORTLIST))
    submit(page, form)
    shortlisted = list(ShortlistEntry.objects.filter(round=round).select_related("project__team"))
    assert len(shortlisted) >= SHORTLIST
    assert page.locator("[data-testid=ranking-overall] [data-testid=shortlisted]").count() == len(
        shortlisted
    )
    _assert_accessible(page)
    screenshot(page, "organiser-results-shortlisted")

    with page.expect_navigation():
        page.locator("[data-testid=publish-link]").click()
    _assert_language(page, language)
    screenshot(page, "organiser-publish")
    with page.expect_navigation():
        page.locator("[data-testid=publish]").click()
    round.refresh_from_db()
    assert round.status == RoundStatus.PUBLISHED
    screenshot(page, "organiser-published")
    return [entry.project for entry in shortlisted]


@pytest.mark.parametrize("language", ["de", "en"])
def test_demo_round_from_assignment_to_published_results(
    page,
    browser,
    live_server,
    mailoutbox,
    eager_celery,
    demo,
    broker,
    worker_starter,
    screenshot,
    language,
):
    round, juror = demo["round"], demo["juror"]

    log_in(page, live_server, ORGANISER[0], DEMO_PASSWORD)
    _speak(page, live_server, language)
    _organiser_runs_the_assignment(
        page,
        live_server,
        round,
        language,
        broker=broker,
        start_worker=worker_starter,
        screenshot=screenshot,
    )

    scored = _juror_scores_with_the_keyboard(
        browser, live_server, round, juror, language, screenshot=screenshot
    )

    winners = _organiser_closes_shortlists_and_publishes(
        page, live_server, round, language, screenshot=screenshot
    )

    # The teams are told: each judged team once, every member a notification and a mail.
    judged_teams = set(
        Assignment.objects.filter(round=round).values_list("project__team_id", flat=True)
    )
    notices = TeamOutcomeNotice.objects.filter(round=round)
    assert set(notices.values_list("team_id", flat=True)) == judged_teams
    assert not notices.filter(sent_at__isnull=True).exists()
    members = set(
        Membership.objects.filter(team_id__in=judged_teams).values_list("user__email", flat=True)
    )
    told = Notification.objects.filter(kind="judging.outcome", recipient__email__in=members)
    assert set(told.values_list("recipient__email", flat=True)) == members
    mailed = {address for message in mailoutbox for address in message.to}
    assert members <= mailed

    # A member of the scored project's team opens the news and reads the jurors'
    # feedback, without names.
    team = scored.project.team
    member = Membership.objects.filter(team=team).select_related("user").first().user
    notification = told.get(recipient=member)
    with own_browser(browser, live_server, member.email, DEMO_PASSWORD) as (team_page, errors):
        _speak(team_page, live_server, language)
        team_page.goto(f"{live_server.url}/notifications/")
        _assert_language(team_page, language)
        screenshot(team_page, "team-notifications")
        item = team_page.locator(f"#notification-{notification.pk}")
        with team_page.expect_navigation():
            item.locator(f"form[action='/notifications/{notification.pk}/open/'] button").click()
        assert team_page.url == f"{live_server.url}/judging/projects/{scored.project.pk}/feedback/"
        _assert_language(team_page, language)
        assert FEEDBACK in team_page.locator("main").inner_text()
        assert juror.public_name not in team_page.locator("main").inner_text()
        _assert_accessible(team_page)
        screenshot(team_page, "team-feedback")
        assert errors == []

    # The public results page, for anyone: the shortlisted projects (the winners, as
    # this is the edition's only round).
    visitor = browser.new_context(locale="de-DE", timezone_id="Europe/Berlin")
    try:
        public = visitor.new_page()
        _speak(public, live_server, language)
        public.goto(f"{live_server.url}/judging/events/{round.event.slug}/results/")
        _assert_language(public, language)
        outcomes = public.locator("[data-testid=published-round] [data-testid=outcome-list]")
        listed = " ".join(outcomes.all_inner_texts())
        for project in winners:
            assert project.title in listed
        _assert_accessible(public)
        screenshot(public, "public-results")
    finally:
        visitor.close()
