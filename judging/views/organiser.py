"""Judging pages for organisers: an event's rounds, a round's settings, criteria, juror pool,
opening and closing, and its assignment runs with their progress and result.

Organisers of the event only: anonymous visitors are sent to log in, everybody else gets
a 404, as if the page did not exist. Each POST calls one service; a refusal comes back as
the page with the form's error (nothing typed is lost). Times are typed and shown in the
event's time zone. Every page works without JavaScript; on a run's page htmx replaces the
progress every two seconds instead of the page reloading itself.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from events.models import Event
from events.rules import is_event_organiser
from events.selectors import event_for_user
from judging import services
from judging.enums import RoundStatus, RunStatus
from judging.errors import JudgingError
from judging.models import Criterion, JudgingRound, Juror
from judging.organiser_forms import CriterionForm, JurorAddForm, RoundForm
from judging.selectors import (
    criteria_of_round,
    juror_pool,
    resubmission_open,
    round_for_organiser,
    rounds_for_organiser_page,
    run_for_organiser,
    run_reasons,
    run_result_rows,
    runs_of_round,
    user_by_email,
)
from judging.services.runs import assignment_run_start, not_assignable_because

# A run's page asks for its progress this often while the run waits or runs.
POLL_SECONDS = 2


def _event(request: HttpRequest, event_slug: str) -> Event:
    event = event_for_user(slug=event_slug, user=request.user)
    # The rule judging.rules.can_manage_round applies to an event's rounds: its organisers.
    if not is_event_organiser(request.user, event):
        raise Http404
    return event


def _add_error(form, error: JudgingError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


# --- an event's rounds ------------------------------------------------------------------------


def _rounds_page(request, event, form, status=200) -> HttpResponse:
    with timezone.override(event.tzinfo):
        return render(
            request,
            "judging/organiser_rounds.html",
            {"event": event, "rounds": rounds_for_organiser_page(event=event), "form": form},
            status=status,
        )


@login_required
@require_http_methods(["GET", "POST"])
def rounds(request: HttpRequest, event_slug: str) -> HttpResponse:
    """The event's rounds in order, and a form for a new one (with the default criteria)."""
    event = _event(request, event_slug)
    if request.method == "GET":
        return _rounds_page(request, event, RoundForm(event=event))
    form = RoundForm(request.POST, event=event)
    with timezone.override(event.tzinfo):
        valid = form.is_valid()
    if not valid:
        return _rounds_page(request, event, form, status=400)
    try:
        round = services.round_create(event=event, actor=request.user, **form.cleaned_data)
    except JudgingError as error:
        _add_error(form, error)
        return _rounds_page(request, event, form, status=error.status_code)
    messages.success(request, _('The round "%(name)s" was created.') % {"name": round.name})
    return redirect("judging:round", pk=round.pk)


# --- a round ----------------------------------------------------------------------------------


def _round(request: HttpRequest, pk: int) -> JudgingRound:
    return round_for_organiser(pk=pk, user=request.user)


def _round_page(
    request,
    round: JudgingRound,
    *,
    settings_form=None,
    criterion_forms=None,
    new_criterion_form=None,
    juror_form=None,
    status=200,
) -> HttpResponse:
    event = round.event
    criteria = list(criteria_of_round(round=round))
    criterion_forms = criterion_forms or {}
    editable = round.status == RoundStatus.DRAFT
    jurors = list(juror_pool(round=round))
    for juror in jurors:
        juror.declared_conflicts = juror.declared_team_count + len(juror.organisation_names)
    context = {
        "round": round,
        "event": event,
        "editable": editable,
        "settings_form": settings_form or RoundForm(event=event, round=round),
        "criteria": [
            (
                criterion,
                criterion_forms.get(criterion.pk)
                or CriterionForm(
                    initial=CriterionForm.initial_for(criterion), prefix=f"criterion-{criterion.pk}"
                ),
            )
            for criterion in criteria
        ],
        "new_criterion_form": new_criterion_form or CriterionForm(prefix="new"),
        "juror_form": juror_form or JurorAddForm(event=event),
        "jurors": jurors,
        "runs": runs_of_round(round=round),
        "can_run": not_assignable_because(round) is None,
        "can_remove_jurors": round.status in (RoundStatus.DRAFT, RoundStatus.OPEN),
        # Reviews judge the version submitted by the deadline: before it, not the final one.
        "resubmission_open": round.status in (RoundStatus.DRAFT, RoundStatus.OPEN)
        and resubmission_open(round=round),
    }
    with timezone.override(event.tzinfo):
        return render(request, "judging/organiser_round.html", context, status=status)


@login_required
@require_GET
def round_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _round_page(request, _round(request, pk))


@login_required
@require_POST
def round_settings(request: HttpRequest, pk: int) -> HttpResponse:
    round = _round(request, pk)
    form = RoundForm(request.POST, event=round.event, round=round)
    with timezone.override(round.event.tzinfo):
        valid = form.is_valid()
    if not valid:
        return _round_page(request, round, settings_form=form, status=400)
    try:
        services.round_update(round=round, actor=request.user, data=form.cleaned_data)
    except JudgingError as error:
        _add_error(form, error)
        return _round_page(request, round, settings_form=form, status=error.status_code)
    messages.success(request, _("The round's settings were saved."))
    return redirect("judging:round", pk=round.pk)


def _criterion(round: JudgingRound, criterion_pk: int) -> Criterion:
    criterion = Criterion.objects.filter(round=round, pk=criterion_pk).first()
    if criterion is None:
        raise Http404
    return criterion


@login_required
@require_POST
def criterion_add(request: HttpRequest, pk: int) -> HttpResponse:
    round = _round(request, pk)
    form = CriterionForm(request.POST, prefix="new")
    if not form.is_valid():
        return _round_page(request, round, new_criterion_form=form, status=400)
    try:
        services.criterion_add(round=round, actor=request.user, **form.cleaned_data)
    except JudgingError as error:
        _add_error(form, error)
        return _round_page(request, round, new_criterion_form=form, status=error.status_code)
    messages.success(request, _("The criterion was added."))
    return redirect("judging:round", pk=round.pk)


@login_required
@require_POST
def criterion_update(request: HttpRequest, pk: int, criterion_pk: int) -> HttpResponse:
    round = _round(request, pk)
    criterion = _criterion(round, criterion_pk)
    form = CriterionForm(request.POST, prefix=f"criterion-{criterion.pk}")
    forms = {criterion.pk: form}
    if not form.is_valid():
        return _round_page(request, round, criterion_forms=forms, status=400)
    try:
        services.criterion_update(criterion=criterion, actor=request.user, data=form.cleaned_data)
    except JudgingError as error:
        _add_error(form, error)
        return _round_page(request, round, criterion_forms=forms, status=error.status_code)
    messages.success(request, _("The criterion was saved."))
    return redirect("judging:round", pk=round.pk)


@login_required
@require_POST
def criterion_remove(request: HttpRequest, pk: int, criterion_pk: int) -> HttpResponse:
    round = _round(request, pk)
    criterion = _criterion(round, criterion_pk)
    try:
        services.criterion_remove(criterion=criterion, actor=request.user)
    except JudgingError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The criterion was removed."))
    return redirect("judging:round", pk=round.pk)


@login_required
@require_POST
def juror_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Puts a person who has an account into the pool (others are invited by e-mail)."""
    round = _round(request, pk)
    form = JurorAddForm(request.POST, event=round.event)
    if not form.is_valid():
        return _round_page(request, round, juror_form=form, status=400)
    user = user_by_email(email=form.cleaned_data["email"])
    if user is None:
        form.add_error(
            "email", _("Nobody has an account with this address; invite them by e-mail instead.")
        )
        return _round_page(request, round, juror_form=form, status=400)
    try:
        services.juror_add(
            round=round, actor=request.user, user=user, expertise=form.cleaned_data["expertise"]
        )
    except JudgingError as error:
        if error.field == "user":
            error.field = "email"
        _add_error(form, error)
        return _round_page(request, round, juror_form=form, status=error.status_code)
    messages.success(request, _("%(name)s is a juror of the round.") % {"name": user.public_name})
    return redirect("judging:round", pk=round.pk)


def _juror(round: JudgingRound, juror_pk: int) -> Juror:
    juror = (
        Juror.objects.filter(round=round, pk=juror_pk, active=True).select_related("user").first()
    )
    if juror is None:
        raise Http404
    return juror


@login_required
@require_http_methods(["GET", "POST"])
def juror_remove(request: HttpRequest, pk: int, juror_pk: int) -> HttpResponse:
    """Asks first (GET: what leaving means for their reviews), then takes the juror out of
    the pool (POST): their submitted reviews stay, the rest go to other jurors."""
    round = _round(request, pk)
    juror = _juror(round, juror_pk)
    if request.method == "GET":
        with timezone.override(round.event.tzinfo):
            return render(
                request,
                "judging/organiser_juror_remove.html",
                {
                    "round": round,
                    "event": round.event,
                    "juror": juror_pool(round=round).get(pk=juror.pk),
                },
            )
    try:
        run = services.juror_remove(juror=juror, actor=request.user)
    except JudgingError as error:
        messages.error(request, error.message)
        return redirect("judging:round", pk=round.pk)
    messages.success(
        request, _("%(name)s is no longer a juror of the round.") % {"name": juror.user.public_name}
    )
    if run is not None:
        return redirect("judging:run", pk=run.pk)
    return redirect("judging:round", pk=round.pk)


@login_required
@require_POST
def round_open(request: HttpRequest, pk: int) -> HttpResponse:
    round = _round(request, pk)
    try:
        services.round_open(round=round, actor=request.user)
    except JudgingError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The round is open for reviews."))
    return redirect("judging:round", pk=round.pk)


@login_required
@require_POST
def round_close(request: HttpRequest, pk: int) -> HttpResponse:
    round = _round(request, pk)
    try:
        services.round_close(round=round, actor=request.user)
    except JudgingError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The round is closed; reviews can no longer change."))
    return redirect("judging:round", pk=round.pk)


# --- assignment runs --------------------------------------------------------------------------


@login_required
@require_POST
def run_start(request: HttpRequest, pk: int) -> HttpResponse:
    round = _round(request, pk)
    try:
        run = assignment_run_start(round=round, actor=request.user)
    except JudgingError as error:
        messages.error(request, error.message)
        return redirect("judging:round", pk=round.pk)
    return redirect("judging:run", pk=run.pk)


def _run_context(run) -> dict:
    active = run.status in (RunStatus.PENDING, RunStatus.RUNNING)
    return {
        "run": run,
        "round": run.round,
        "event": run.round.event,
        "active": active,
        "poll_seconds": POLL_SECONDS,
        "figures": None if active else run_result_rows(run=run),
        "reasons": run_reasons(run=run) if run.status == RunStatus.FAILED else [],
    }


@login_required
@require_GET
def run_view(request: HttpRequest, pk: int) -> HttpResponse:
    """A run's progress while it waits or runs, then its result or why it was not possible."""
    run = run_for_organiser(pk=pk, user=request.user)
    with timezone.override(run.round.event.tzinfo):
        return render(request, "judging/organiser_run.html", _run_context(run))


@login_required
@require_GET
def run_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress part of a run's page alone (what htmx polls)."""
    run = run_for_organiser(pk=pk, user=request.user)
    with timezone.override(run.round.event.tzinfo):
        return render(request, "judging/organiser_run_progress.html", _run_context(run))


urlpatterns = [
    path("events/<slug:event_slug>/", rounds, name="rounds"),
    path("rounds/<int:pk>/", round_view, name="round"),
    path("rounds/<int:pk>/settings/", round_settings, name="round_settings"),
    path("rounds/<int:pk>/criteria/", criterion_add, name="criterion_add"),
    path("rounds/<int:pk>/criteria/<int:criterion_pk>/", criterion_update, name="criterion_update"),
    path(
        "rounds/<int:pk>/criteria/<int:criterion_pk>/remove/",
        criterion_remove,
        name="criterion_remove",
    ),
    path("rounds/<int:pk>/jurors/", juror_add, name="juror_add"),
    path("rounds/<int:pk>/jurors/<int:juror_pk>/remove/", juror_remove, name="juror_remove"),
    path("rounds/<int:pk>/open/", round_open, name="round_open"),
    path("rounds/<int:pk>/close/", round_close, name="round_close"),
    path("rounds/<int:pk>/runs/", run_start, name="run_start"),
    path("runs/<int:pk>/", run_view, name="run"),
    path("runs/<int:pk>/progress/", run_progress, name="run_progress"),
]
