"""Judging pages: juror (see judging.views). A juror's rounds, their queue of one round,
one review at a time, and declaring a conflict of interest.

Only the assignment's own juror opens it: everyone else (organisers included, who see
results elsewhere) gets 404. The review form works without JavaScript (Save draft /
Submit post the whole form); with htmx a change saves the draft in the background.
After the round closes everything is shown read-only; so is a submitted review where
the round shows the other jurors' scores after submitting (submitting is final there,
and the page says so next to the Submit button). Who else reviewed a project is never
shown.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hackathon.htmx import wants_partial
from judging import juror_selectors as selectors
from judging.errors import JudgingError
from judging.juror_forms import ReviewForm
from judging.models import Assignment, JudgingRound
from judging.rules import can_review_assignment, round_is_open
from judging.services.reviews import (
    review_conflict_declare,
    review_is_final,
    review_save,
    submitting_is_final,
)
from projects.selectors import version_display


def _assignment(request: HttpRequest, pk: int) -> Assignment:
    try:
        return selectors.assignment_for_juror(user=request.user, pk=pk)
    except Assignment.DoesNotExist:
        raise Http404 from None


@login_required
@require_GET
def my_reviews(request: HttpRequest) -> HttpResponse:
    """Every round the person is a juror of, with what is done and what is left."""
    return render(
        request,
        "judging/juror_rounds.html",
        {"seats": selectors.rounds_for_juror(user=request.user)},
    )


@login_required
@require_GET
def queue(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        round = selectors.round_for_juror(user=request.user, pk=pk)
    except JudgingRound.DoesNotExist:
        raise Http404 from None
    items = list(selectors.queue_for(user=request.user, round=round))
    return render(
        request,
        "judging/juror_queue.html",
        {
            "round": round,
            "event": round.event,
            "is_open": round_is_open(round),
            "to_do": [item for item in items if not item.is_done],
            "done": [item for item in items if item.is_done],
            "counts": selectors.queue_counts(items),
        },
    )


def _form_with_error(form: ReviewForm, error: JudgingError) -> None:
    if error.missing:
        for field in error.missing:
            if field in form.fields:
                form.add_error(field, _("Please choose a score."))
        form.add_error(None, error.message)
    elif error.field in form.fields:
        form.add_error(error.field, error.message)
    else:
        form.add_error(None, error.message)


def _save(request: HttpRequest, assignment: Assignment, form: ReviewForm, *, submit: bool):
    """The service's review, or None with the refusal added to the form."""
    if not form.is_valid():
        return None
    try:
        return review_save(
            assignment=assignment, actor=request.user, submit=submit, **form.service_data()
        )
    except JudgingError as error:
        _form_with_error(form, error)
        return None


def _review_context(request: HttpRequest, assignment: Assignment, criteria, form=None) -> dict:
    review = selectors.review_of(assignment)
    scores = selectors.scores_of(review)
    final = review_is_final(assignment, review)
    # A conflict of interest may still be declared on a final review (it takes the review
    # away with the project, audited): only its scores are final.
    may_review = can_review_assignment(request.user, assignment)
    editable = may_review and not final
    if form is None and editable:
        initial = {
            "comment_for_organisers": review.comment_for_organisers if review else "",
            "feedback_for_team": review.feedback_for_team if review else "",
        }
        initial.update({f"score_{pk}": value for pk, value in scores.items()})
        form = ReviewForm(initial=initial, criteria=criteria)
    return {
        "assignment": assignment,
        "round": assignment.round,
        "event": assignment.round.event,
        "version": assignment.version,
        "content": version_display(assignment.version.snapshot),
        "review": review,
        "criteria_scores": [(criterion, scores.get(criterion.pk)) for criterion in criteria],
        "editable": editable,
        "final": final,
        "may_declare_conflict": may_review,
        "submitting_is_final": submitting_is_final(assignment.round),
        "form": form,
        "neighbours": selectors.to_do_neighbours(assignment=assignment),
        "others": selectors.others_scores_for(assignment=assignment, criteria=criteria),
    }


def _after_submit(assignment: Assignment) -> HttpResponse:
    neighbours = selectors.to_do_neighbours(assignment=assignment)
    following = neighbours["next"] or neighbours["first"]
    if following:
        return redirect("judging:review", pk=following)
    return redirect("judging:queue", pk=assignment.round_id)


@login_required
@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, pk: int) -> HttpResponse:
    """The frozen version the project submitted and the juror's form (read-only once the
    round is closed). POST: "Save draft" or "Submit"; errors keep everything typed."""
    assignment = _assignment(request, pk)
    criteria = selectors.criteria_for(assignment)
    if request.method == "GET":
        return render(
            request, "judging/juror_review.html", _review_context(request, assignment, criteria)
        )
    if not can_review_assignment(request.user, assignment):
        messages.error(request, _("The round is closed: its reviews can no longer be changed."))
        return redirect("judging:review", pk=assignment.pk)
    if review_is_final(assignment, selectors.review_of(assignment)):
        messages.error(request, _("Your review is submitted and final: it can no longer change."))
        return redirect("judging:review", pk=assignment.pk)
    submit = "submit" in request.POST
    form = ReviewForm(request.POST, criteria=criteria)
    saved = _save(request, assignment, form, submit=submit)
    if saved is None:
        context = _review_context(request, assignment, criteria, form=form)
        return render(request, "judging/juror_review.html", context, status=400)
    if submit and submitting_is_final(assignment.round):
        messages.success(
            request,
            _(
                "Your review is submitted and final. On its page you now see the other "
                "jurors' scores."
            ),
        )
        return _after_submit(assignment)
    if submit:
        messages.success(
            request, _("Your review is submitted. You can change it until the round closes.")
        )
        return _after_submit(assignment)
    messages.success(request, _("Your draft is saved."))
    return redirect("judging:review", pk=assignment.pk)


@login_required
@require_POST
def review_draft(request: HttpRequest, pk: int) -> HttpResponse:
    """htmx: saves the draft when the form changes and answers with the status line.
    Without htmx it is the form's "Save draft"."""
    if not wants_partial(request):
        return review(request, pk)
    assignment = _assignment(request, pk)
    form = ReviewForm(request.POST, criteria=selectors.criteria_for(assignment))
    saved = _save(request, assignment, form, submit=False)
    errors = []
    if saved is None:
        errors = [message for field_errors in form.errors.values() for message in field_errors]
    return render(
        request,
        "judging/juror_draft_status.html",
        {"event": assignment.round.event, "saved": saved, "errors": errors},
    )


@login_required
@require_http_methods(["GET", "POST"])
def review_conflict(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: what declaring a conflict does, and the button. POST: declares it."""
    assignment = _assignment(request, pk)
    if request.method == "POST":
        try:
            review_conflict_declare(assignment=assignment, actor=request.user)
        except JudgingError as error:
            messages.error(request, error.message)
            return redirect("judging:review", pk=assignment.pk)
        messages.success(
            request,
            _(
                "Thank you. The project was taken from your queue, and another juror will "
                "review it."
            ),
        )
        return redirect("judging:queue", pk=assignment.round_id)
    return render(
        request,
        "judging/juror_conflict.html",
        {
            "assignment": assignment,
            "round": assignment.round,
            "title": assignment.version.snapshot.get("title", ""),
            "team_name": assignment.version.snapshot.get("team", {}).get("name", ""),
            "editable": can_review_assignment(request.user, assignment),
        },
    )


urlpatterns = [
    path("reviews/", my_reviews, name="my_reviews"),
    path("rounds/<int:pk>/queue/", queue, name="queue"),
    path("assignments/<int:pk>/", review, name="review"),
    path("assignments/<int:pk>/draft/", review_draft, name="review_draft"),
    path("assignments/<int:pk>/conflict/", review_conflict, name="review_conflict"),
]
