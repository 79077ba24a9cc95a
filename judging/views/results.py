"""Judging pages: a round's results for its organisers (rankings, a project's reviews,
shortlist, publishing, the CSV exports), the event's public results, and a team's
feedback from the jurors.

Every page works without JavaScript: the shortlist's forms post and come back to the
results page. Whoever may not see a round or a project gets a 404.
"""

from __future__ import annotations

import csv
import io

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from events.selectors import event_for_user
from hackathon.pagecache import cache_page_for_anonymous
from judging.enums import RoundStatus
from judging.errors import JudgingError
from judging.models import JudgingRound
from judging.results import (
    feedback_for_member,
    project_of_round,
    project_reviews,
    published_results,
    round_results,
    scores_for_export,
)
from judging.selectors import round_for_organiser
from judging.services.results import (
    round_publish,
    shortlist_add,
    shortlist_remove,
    shortlist_top,
    shortlisted_outcome,
)
from projects.models import Project
from projects.organiser_views import csv_safe


class ShortlistTopForm(forms.Form):
    n = forms.IntegerField(label=gettext_lazy("How many"), min_value=1, max_value=10000)
    per_topic = forms.BooleanField(
        label=gettext_lazy("The top projects of each topic field"), required=False
    )


def _round(request: HttpRequest, pk: int) -> JudgingRound:
    return round_for_organiser(pk=pk, user=request.user)  # 404 for anyone else


def _results_page(request: HttpRequest, round: JudgingRound, form: ShortlistTopForm, status=200):
    return render(
        request,
        "judging/results_round.html",
        {
            "round": round,
            "event": round.event,
            "results": round_results(round=round),
            "form": form,
            "can_shortlist": round.status == RoundStatus.CLOSED,
        },
        status=status,
    )


@login_required
@require_GET
def results_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The round's ranking overall, per topic field and per category; organisers only."""
    round = _round(request, pk)
    return _results_page(request, round, ShortlistTopForm(initial={"n": 10}))


@login_required
@require_GET
def result_project_view(request: HttpRequest, pk: int, project_pk: int) -> HttpResponse:
    """A project's submitted reviews in the round, with the jurors' names, their scores
    per criterion, the comments for the organisers and the feedback for the team (also
    before publishing); organisers only (jurors and teams never see the names nor the
    comments). 404 for anyone else and for a project not judged in the round."""
    round = _round(request, pk)
    try:
        reviews = project_reviews(round=round, project_pk=project_pk)
    except Project.DoesNotExist:
        raise Http404 from None
    return render(
        request,
        "judging/results_project.html",
        {"round": round, "event": round.event, "reviews": reviews},
    )


@login_required
@require_POST
def shortlist_top_view(request: HttpRequest, pk: int) -> HttpResponse:
    round = _round(request, pk)
    form = ShortlistTopForm(request.POST)
    if not form.is_valid():
        return _results_page(request, round, form, status=400)
    try:
        entries = shortlist_top(
            round=round,
            actor=request.user,
            n=form.cleaned_data["n"],
            per_topic=form.cleaned_data["per_topic"],
        )
    except JudgingError as error:
        form.add_error(error.field if error.field in form.fields else None, error.message)
        return _results_page(request, round, form, status=error.status_code)
    messages.success(
        request, _("%(count)d projects are on the shortlist.") % {"count": len(entries)}
    )
    return redirect("judging:results", pk=round.pk)


def _project(request: HttpRequest, round: JudgingRound) -> Project:
    try:
        return project_of_round(round=round, pk=request.POST.get("project"))
    except Project.DoesNotExist:
        raise Http404 from None


@login_required
@require_POST
def shortlist_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    round = _round(request, pk)
    project = _project(request, round)
    try:
        shortlist_add(round=round, actor=request.user, project=project)
    except JudgingError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _('"%(title)s" is on the shortlist.') % {"title": project.title})
    return redirect(f"{_results_url(round)}#project-{project.pk}")


@login_required
@require_POST
def shortlist_remove_view(request: HttpRequest, pk: int) -> HttpResponse:
    round = _round(request, pk)
    project = _project(request, round)
    try:
        shortlist_remove(round=round, actor=request.user, project=project)
    except JudgingError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _('"%(title)s" is no longer on the shortlist.') % {"title": project.title}
        )
    return redirect(f"{_results_url(round)}#project-{project.pk}")


def _results_url(round: JudgingRound) -> str:
    return reverse("judging:results", args=[round.pk])


@login_required
@require_http_methods(["GET", "POST"])
def publish_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Asks before publishing (GET), publishes (POST)."""
    round = _round(request, pk)
    error = None
    if request.method == "POST":
        try:
            round_publish(round=round, actor=request.user)
        except JudgingError as refusal:
            error = refusal.message
        else:
            messages.success(request, _("The results are published; the teams are being told."))
            return redirect("judging:results", pk=round.pk)
    results = round_results(round=round)
    return render(
        request,
        "judging/results_publish.html",
        {
            "round": round,
            "event": round.event,
            "results": results,
            "outcome": shortlisted_outcome(round),
            "error": error,
        },
        status=409 if error else 200,
    )


def _csv_response(rows, name: str, round: JudgingRound) -> HttpResponse:
    out = io.StringIO()
    out.write("\ufeff")  # for spreadsheet programs
    writer = csv.writer(out)
    for row in rows:
        writer.writerow(csv_safe(value) for value in row)
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime(timezone.now(), round.event.tzinfo).strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = (
        f'attachment; filename="{name}-{round.event.slug}-{round.pk}-{stamp}.csv"'
    )
    return response


def _figure(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}"


RESULTS_COLUMNS = [
    "rank",
    "project_id",
    "project",
    "team",
    "topic_field",
    "topic_rank",
    "category",
    "category_rank",
    "mean",
    "normalised",
    "reviews",
    "reviews_asked",
    "too_few_reviews",
    "spread",
    "std",
    "shortlisted",
]


@login_required
@require_GET
def results_csv(request: HttpRequest, pk: int) -> HttpResponse:
    """One row per project of the round with its figures and ranks; organisers only."""
    round = _round(request, pk)
    results = round_results(round=round)
    rows = [RESULTS_COLUMNS]
    for row in results.rows:
        rows.append(
            [
                row.rank or "",
                row.project.pk,
                row.title,
                row.project.team.name,
                row.topic_name,
                row.topic_rank or "",
                row.category,
                row.category_rank or "",
                _figure(row.mean),
                _figure(row.normalised),
                row.reviews,
                results.k,
                "yes" if row.flagged else "no",
                _figure(row.spread),
                _figure(row.std),
                "yes" if row.shortlisted else "no",
            ]
        )
    return _csv_response(rows, "results", round)


SCORES_COLUMNS = [
    "project_id",
    "project",
    "version",
    "team",
    "review_id",
    "juror_id",
    "juror",
    "submitted_at",
    "score",
]
SCORES_TEXT_COLUMNS = ["comment_for_organisers", "feedback_for_team"]


@login_required
@require_GET
def scores_csv(request: HttpRequest, pk: int) -> HttpResponse:
    """One row per submitted review: the project under its judged version's title, the
    juror's name (organisers know their jurors; the file is for the record), its weighted
    score, a column per criterion headed "<name> (weight <w>)" in the round's order, then
    the comment for the organisers and the feedback for the team, once per review. Every
    cell goes through csv_safe, so a text or name a spreadsheet would run as a formula
    starts with a '. Organisers only."""
    round = _round(request, pk)
    export = scores_for_export(round=round)
    rows = [
        SCORES_COLUMNS
        + [f"{criterion.name} (weight {criterion.weight})" for criterion in export.criteria]
        + SCORES_TEXT_COLUMNS
    ]
    for record in export.reviews:
        review = record.review
        assignment = review.assignment
        project = assignment.project
        judged = export.judged.get((round.pk, project.pk))
        rows.append(
            [
                project.pk,
                judged.title if judged else project.title,
                judged.number if judged and judged.number else "",
                project.team.name,
                review.pk,
                assignment.juror_id,
                record.juror_name,
                round.event.localtime(review.submitted_at).isoformat()
                if review.submitted_at
                else "",
                _figure(record.score),
                *("" if value is None else value for value in record.values),
                review.comment_for_organisers,
                review.feedback_for_team,
            ]
        )
    return _csv_response(rows, "scores", round)


@require_GET
@cache_page_for_anonymous("events", "teams", "projects", "judging")
def public_results_view(request: HttpRequest, event_slug: str) -> HttpResponse:
    """The event's published rounds: their winners or shortlisted projects by category,
    without scores or jurors. Everyone who may see the event."""
    event = event_for_user(slug=event_slug, user=request.user)
    return render(
        request,
        "judging/results_public.html",
        {"event": event, "published": published_results(event=event)},
    )


@login_required
@require_GET
def feedback_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The jurors' feedback for the team, without names, once a round is published;
    members of the team only."""
    try:
        project, rounds = feedback_for_member(pk=pk, user=request.user)
    except Project.DoesNotExist:
        raise Http404 from None
    return render(
        request,
        "judging/results_feedback.html",
        {"project": project, "event": project.event, "rounds": rounds},
    )


urlpatterns = [
    path("rounds/<int:pk>/results/", results_view, name="results"),
    path(
        "rounds/<int:pk>/results/projects/<int:project_pk>/",
        result_project_view,
        name="result_project",
    ),
    path("rounds/<int:pk>/results.csv", results_csv, name="results_csv"),
    path("rounds/<int:pk>/scores.csv", scores_csv, name="scores_csv"),
    path("rounds/<int:pk>/shortlist/top/", shortlist_top_view, name="shortlist_top"),
    path("rounds/<int:pk>/shortlist/add/", shortlist_add_view, name="shortlist_add"),
    path("rounds/<int:pk>/shortlist/remove/", shortlist_remove_view, name="shortlist_remove"),
    path("rounds/<int:pk>/publish/", publish_view, name="publish"),
    path("events/<slug:event_slug>/results/", public_results_view, name="public_results"),
    path("projects/<int:pk>/feedback/", feedback_view, name="feedback"),
]
