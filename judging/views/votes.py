"""Judging pages: the optional public vote (see judging.views).

/judging/rounds/<pk>/vote/            the projects entering the round, searched and
                                      paginated, a "Vote for this project" button each (not
                                      for one's own team's), one's vote with "withdraw";
                                      404 when the round has no public vote
/judging/rounds/<pk>/vote/withdraw/   takes one's vote back (POST)
/judging/rounds/<pk>/votes/           the counts, apart from the jury's result: public once
                                      the round is published, its organisers' meanwhile

Buttons are plain forms that post and come back to the same page of the list, so the
vote works without JavaScript; every refusal is the service's and is shown as a message.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from judging import rules, vote_selectors
from judging.errors import JudgingError
from judging.services.votes import vote_cast, vote_change, vote_refusal, vote_withdraw

PAGE_SIZE = 20
MAX_QUERY_LENGTH = 200


class VoteForm(forms.Form):
    """A vote button's form: the project, whether it moves one's vote, and where the
    person was in the list (to come back to it)."""

    project = forms.IntegerField(min_value=1)
    change = forms.BooleanField(required=False)
    q = forms.CharField(required=False, max_length=MAX_QUERY_LENGTH)
    page = forms.IntegerField(required=False, min_value=1)


def _back_to_list(round_pk: int, data) -> str:
    url = reverse("judging:vote", kwargs={"pk": round_pk})
    query = {
        name: data.get(name)
        for name in ("q", "page")
        if data.get(name) and len(data.get(name)) <= MAX_QUERY_LENGTH
    }
    return f"{url}?{urlencode(query)}" if query else url


@require_GET
def vote_page(request: HttpRequest, pk: int) -> HttpResponse:
    round = vote_selectors.round_for_vote(pk=pk, user=request.user)
    q = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    projects = vote_selectors.projects_for_vote(round=round, params={"q": q})
    page = Paginator(projects, PAGE_SIZE).get_page(request.GET.get("page"))
    my_vote = vote_selectors.vote_of(round=round, user=request.user)
    refusal = vote_refusal(round=round, user=request.user)
    context = {
        "round": round,
        "event": round.event,
        "page": page,
        "q": q,
        "query_string": urlencode({"q": q}) if q else "",
        "my_vote": my_vote,
        "vote_here": my_vote is not None and my_vote.round_id == round.pk,
        "refusal": refusal,
        "can_vote": refusal is None,
        "is_open": rules.is_vote_open(request.user, round),
        "own_team_ids": vote_selectors.own_team_ids(round=round, user=request.user),
        "can_see_results": rules.can_see_vote_results(request.user, round),
    }
    return render(request, "judging/votes_page.html", context)


@require_POST
def vote_submit(request: HttpRequest, pk: int) -> HttpResponse:
    """Casts the person's vote, or moves it (`change`) when they have one in this round."""
    round = vote_selectors.round_for_vote(pk=pk, user=request.user)
    form = VoteForm(request.POST)
    project = None
    if form.is_valid():
        project = vote_selectors.project_for_vote(pk=form.cleaned_data["project"])
    if project is None:
        messages.error(request, _("Choose one of the projects in the list."))
        return redirect(_back_to_list(round.pk, request.POST))
    service = vote_change if form.cleaned_data["change"] else vote_cast
    try:
        service(round=round, user=request.user, project=project)
    except JudgingError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Your vote for “%(project)s” is counted. You can change it while the vote is open.")
            % {"project": project.title},
        )
    return redirect(_back_to_list(round.pk, request.POST))


@require_POST
def vote_withdraw_view(request: HttpRequest, pk: int) -> HttpResponse:
    round = vote_selectors.round_for_vote(pk=pk, user=request.user)
    try:
        vote_withdraw(round=round, user=request.user)
    except JudgingError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Your vote is withdrawn. You can vote again."))
    return redirect(_back_to_list(round.pk, request.POST))


@require_GET
def vote_results(request: HttpRequest, pk: int) -> HttpResponse:
    round = vote_selectors.round_for_vote_results(pk=pk, user=request.user)
    context = {
        "round": round,
        "event": round.event,
        "counts": vote_selectors.vote_counts(round=round),
        "total": vote_selectors.vote_total(round=round),
        "is_published": rules.is_round_published(request.user, round),
    }
    return render(request, "judging/votes_results.html", context)


def _vote(request: HttpRequest, pk: int) -> HttpResponse:
    # One address for the page and its vote buttons, as the brief names it (judging:vote).
    if request.method == "POST":
        return vote_submit(request, pk)
    return vote_page(request, pk)


urlpatterns = [
    path("rounds/<int:pk>/vote/", _vote, name="vote"),
    path("rounds/<int:pk>/vote/withdraw/", vote_withdraw_view, name="vote_withdraw"),
    path("rounds/<int:pk>/votes/", vote_results, name="vote_results"),
]
