"""Help from mentors: the team's requests, the mentors' board, the organisers' figures.

Claim, give back and close are small forms; with htmx they swap the request's card in
place, without JavaScript they post and come back to the page they were sent from.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from events.selectors import event_for_user
from hackathon.htmx import wants_partial
from mentoring import rules, selectors, services
from mentoring.forms import HelpRequestForm
from mentoring.models import HelpRequest
from teams.models import Team
from teams.rules import is_team_member

BOARD_PAGE_SIZE = 30


@login_required
def team_help_requests(request: HttpRequest, team_pk: int) -> HttpResponse:
    """The team's requests and the form to ask for help; members and organisers only."""
    team = get_object_or_404(Team.objects.select_related("event", "challenge"), pk=team_pk)
    if not rules.can_see_team_help_requests(request.user, team):
        raise Http404
    is_member = rules.can_ask_for_help(request.user, team)
    form = HelpRequestForm(request.POST or None, team=team)
    if request.method == "POST":
        if not is_member:
            raise Http404
        if form.is_valid():
            try:
                services.help_request_create(
                    team=team,
                    actor=request.user,
                    skill=form.cleaned_data["skill"],
                    topic=form.cleaned_data["topic"],
                    question=form.cleaned_data["question"],
                    contact=form.cleaned_data["contact"],
                )
            except services.MentoringError as error:
                form.add_error(error.field, error.message)
            else:
                messages.success(request, _("Your request is on the mentors' board now."))
                return redirect("mentoring:team_requests", team_pk=team.pk)
    return render(
        request,
        "mentoring/team_requests.html",
        {
            "team": team,
            "event": team.event,
            "form": form,
            "is_member": is_member,
            "help_requests": selectors.help_requests_of_team(team=team),
            # Only the team's members and organisers get this far.
            "can_see_contact": True,
        },
    )


@login_required
@require_GET
def mentor_board(request: HttpRequest, event_slug: str) -> HttpResponse:
    """Open requests, those fitting the mentor's skills first; mentors and organisers only."""
    event = event_for_user(slug=event_slug, user=request.user)
    if not rules.is_event_mentor(request.user, event):
        raise Http404
    open_requests = selectors.help_requests_open_for_mentor(event=event, mentor=request.user)
    page = Paginator(open_requests, BOARD_PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = selectors.with_contact_visibility(page.object_list, user=request.user)
    claimed = selectors.help_requests_claimed_by(event=event, mentor=request.user)
    return render(
        request,
        "mentoring/board.html",
        {
            "event": event,
            "page": page,
            "claimed": selectors.with_contact_visibility(claimed, user=request.user),
            "is_organiser": rules.is_event_organiser(request.user, event),
        },
    )


@login_required
@require_GET
def help_stats(request: HttpRequest, event_slug: str) -> HttpResponse:
    event = event_for_user(slug=event_slug, user=request.user)
    if not rules.is_event_organiser(request.user, event):
        raise Http404
    return render(
        request,
        "mentoring/stats.html",
        {"event": event, "stats": selectors.help_request_stats(event=event)},
    )


def _act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    help_request = selectors.help_request_for_user(pk=pk, user=request.user)
    error = None
    try:
        if action == "claim":
            services.help_request_claim(help_request=help_request, mentor=request.user)
            message = _("You took this request. Please get in touch with the team.")
        elif action == "release":
            services.help_request_release(help_request=help_request, mentor=request.user)
            message = _("You gave the request back; other mentors can take it now.")
        else:
            services.help_request_close(help_request=help_request, actor=request.user)
            message = _("The request is closed.")
    except services.MentoringError as exc:
        error = exc.message
        message = None
    # The form says which page it came from; only the team's own page may be rendered
    # as such. Who sees the contact is decided here, never by what the form says.
    wants_team_view = request.POST.get("view") == "team"
    view = (
        "team" if wants_team_view and is_team_member(request.user, help_request.team) else "board"
    )
    if wants_partial(request):
        help_request = selectors.help_request_for_user(pk=pk, user=request.user)
        return render(
            request,
            "mentoring/request_card.html",
            {
                "help_request": help_request,
                "view": view,
                "can_see_contact": rules.can_see_contact(request.user, help_request),
                "error": error,
                "notice": message,
            },
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(request, message)
    return redirect(_back(request, help_request, view))


def _back(request: HttpRequest, help_request: HelpRequest, view: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    if view == "team":
        return reverse("mentoring:team_requests", kwargs={"team_pk": help_request.team_id})
    return reverse("mentoring:board", kwargs={"event_slug": help_request.team.event.slug})


@login_required
@require_POST
def help_request_claim(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "claim")


@login_required
@require_POST
def help_request_release(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "release")


@login_required
@require_POST
def help_request_close(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "close")
