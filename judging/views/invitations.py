"""Judging pages: organisers invite jurors by e-mail; the invited open the signed link,
sign up or sign in and accept; a juror states their expertise and conflicts.

Every page works without JavaScript; on the juror's page htmx fetches the team search's
results as one types instead of on the "Search" button.
"""

from __future__ import annotations

import re
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from challenges.models import Topic
from hackathon.htmx import wants_partial
from judging.errors import JudgingError
from judging.invitation_selectors import (
    invitations_of_round,
    juror_for_user,
    teams_for_conflict_search,
)
from judging.models import JudgingRound, Juror
from judging.rules import can_manage_round
from judging.services.invitations import (
    INVITATION_VALID_DAYS,
    JOINABLE,
    invitation_accept,
    invitation_from_token,
    invited_address_of,
    juror_invite,
    juror_profile_update,
    may_withdraw_conflicts,
    normalise_address,
    profile_closed_message,
    profile_is_editable,
)
from teams.models import Team

MAX_ADDRESSES = 200
_SEPARATORS = re.compile(r"[\s,;]+")
# The largest primary key (a BigAutoField) any of our databases holds: SQLite refuses a
# larger integer with an OverflowError, PostgreSQL with an error of its own.
MAX_ID = 2**63 - 1
_ID = re.compile(r"[0-9]{1,19}")


def _as_id(value) -> int | None:
    """A posted primary key as an int, or None for anything else (a letter, a digit of
    another script such as "²", a number past MAX_ID)."""
    text = str(value).strip()
    if not _ID.fullmatch(text):
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None


def _ids(values) -> list[int]:
    return [number for number in map(_as_id, values) if number is not None]


# --- forms ----------------------------------------------------------------------------------


class IdsMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A ModelMultipleChoiceField that refuses what is no id before asking the database,
    with the field's message, on any database (SQLite raises OverflowError otherwise)."""

    def _check_values(self, value):
        for pk in value:
            if _as_id(pk) is None:
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)


class InviteForm(forms.Form):
    addresses = forms.CharField(
        label=gettext_lazy("E-mail addresses"),
        help_text=gettext_lazy("One address per line (commas and semicolons work too)."),
        widget=forms.Textarea(attrs={"rows": 6, "autocomplete": "off", "spellcheck": "false"}),
    )
    expertise = IdsMultipleChoiceField(
        label=gettext_lazy("Expertise"),
        help_text=gettext_lazy("Topic fields these jurors know well; they can change it later."),
        queryset=Topic.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    language = forms.ChoiceField(
        label=gettext_lazy("Language of the e-mail"),
        help_text=gettext_lazy("People who have an account get it in their own language."),
        choices=settings.LANGUAGES,
    )

    def __init__(self, *args, round: JudgingRound, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["expertise"].queryset = Topic.objects.filter(event=round.event).order_by("name")

    def clean_addresses(self) -> list[str]:
        addresses: list[str] = []
        wrong: list[str] = []
        for item in _SEPARATORS.split(self.cleaned_data["addresses"]):
            if not item:
                continue
            try:
                address = normalise_address(item)
            except JudgingError:
                wrong.append(item)
                continue
            if address not in addresses:
                addresses.append(address)
        if wrong:
            raise forms.ValidationError(
                _("These are not e-mail addresses: %(wrong)s") % {"wrong": ", ".join(wrong)}
            )
        if not addresses:
            raise forms.ValidationError(_("Please enter at least one e-mail address."))
        if len(addresses) > MAX_ADDRESSES:
            raise forms.ValidationError(
                _("At most %(max)d addresses at once, please.") % {"max": MAX_ADDRESSES}
            )
        return addresses


class JurorProfileForm(forms.Form):
    expertise = IdsMultipleChoiceField(
        label=gettext_lazy("My expertise"),
        help_text=gettext_lazy("Projects of these topic fields are preferred for you."),
        queryset=Topic.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    conflict_teams = IdsMultipleChoiceField(
        label=gettext_lazy("Teams"),
        queryset=Team.objects.none(),
        required=False,
        # Rendered by the template: the declared teams and the search's results only.
        widget=forms.MultipleHiddenInput,
    )
    conflict_organisations = forms.CharField(
        label=gettext_lazy("Organisations"),
        help_text=gettext_lazy(
            "One name per line, e.g. your employer or an association you belong to. "
            "You will not review projects answering a challenge of these organisations."
        ),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    team_search = forms.CharField(
        label=gettext_lazy("Find a team by name"), required=False, max_length=80
    )

    def __init__(self, *args, juror: Juror, may_withdraw: bool = True, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        event = juror.round.event
        self.fields["expertise"].queryset = Topic.objects.filter(event=event).order_by("name")
        self.fields["conflict_teams"].queryset = Team.objects.filter(event=event)
        not_a_team = _("A team is not one of this event's.")
        self.fields["conflict_teams"].error_messages["invalid_choice"] = not_a_team
        self.fields["conflict_teams"].error_messages["invalid_pk_value"] = not_a_team
        if not may_withdraw:
            # The declared organisations are listed above the field; it adds to them.
            self.fields["conflict_organisations"].label = _("Add organisations")


# --- organisers: inviting ---------------------------------------------------------------------


def _round_for_organiser(request: HttpRequest, pk: int) -> JudgingRound:
    round = get_object_or_404(JudgingRound.objects.select_related("event"), pk=pk)
    if not can_manage_round(request.user, round):
        raise Http404
    return round


@login_required
def invite(request: HttpRequest, pk: int) -> HttpResponse:
    """The round's invitations and the form to invite more; organisers of the event only."""
    round = _round_for_organiser(request, pk)
    initial_language = getattr(request.user, "language", "") or settings.LANGUAGE_CODE
    form = InviteForm(request.POST or None, round=round, initial={"language": initial_language})
    if request.method == "POST" and form.is_valid():
        sent, refused = [], []
        with transaction.atomic():
            for address in form.cleaned_data["addresses"]:
                try:
                    juror_invite(
                        round=round,
                        actor=request.user,
                        email=address,
                        expertise=form.cleaned_data["expertise"],
                        language=form.cleaned_data["language"],
                    )
                except JudgingError as error:
                    if error.message not in refused:
                        refused.append(error.message)
                else:
                    sent.append(address)
        if sent:
            messages.success(
                request,
                ngettext(
                    "The invitation to %(count)d address is on its way.",
                    "The invitations to %(count)d addresses are on their way.",
                    len(sent),
                )
                % {"count": len(sent)},
            )
        for message in refused:
            messages.warning(request, message)
        if not refused:
            return redirect("judging:invite", pk=round.pk)
        # Keep what was typed, minus the addresses that went out.
        form = InviteForm(
            initial={
                "addresses": "\n".join(a for a in form.cleaned_data["addresses"] if a not in sent),
                "expertise": form.cleaned_data["expertise"],
                "language": form.cleaned_data["language"],
            },
            round=round,
        )
    return render(
        request,
        "judging/invitations_invite.html",
        {
            "round": round,
            "event": round.event,
            "form": form,
            "invitations": invitations_of_round(round=round),
            "valid_days": INVITATION_VALID_DAYS,
            "can_invite": round.status in JOINABLE,
        },
    )


# --- the invited: the signed link -------------------------------------------------------------


@never_cache
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """What the link in the mail opens: the round, and how to accept (sign up, sign in,
    confirm the address, or the button). Anyone with the link may look."""
    try:
        found = invitation_from_token(token)
    except JudgingError as error:
        return render(
            request, "judging/invitations_link.html", {"error": error.message}, status=400
        )
    here = request.get_full_path()
    user = request.user
    if request.method == "POST":
        if not user.is_authenticated:
            return redirect_to_login(here)
        try:
            juror = invitation_accept(token=token, user=user)
        except JudgingError as error:
            messages.error(request, error.message)
            return redirect(here)
        messages.success(
            request,
            _("Welcome to the jury of “%(round)s”. Please tell us your expertise and conflicts.")
            % {"round": found.round.name},
        )
        return redirect("judging:juror_profile", pk=juror.round_id)
    own_seat = None
    address = None
    if user.is_authenticated:
        own_seat = Juror.objects.filter(round=found.round, user=user).first()
        address = invited_address_of(user, found)
    return render(
        request,
        "judging/invitations_link.html",
        {
            "invitation": found,
            "round": found.round,
            "event": found.round.event,
            "here": here,
            # The account must hold the invited address, confirmed (invitation_accept).
            "has_address": address is not None,
            "verified": address is not None and address.verified,
            "own_seat": own_seat,
            # Used by someone else: the link no longer lets this person in.
            "taken": found.accepted_at is not None and own_seat is None,
            "login_url": f"{reverse('account_login')}?{urlencode({'next': here})}",
            "signup_url": f"{reverse('account_signup')}?{urlencode({'next': here})}",
        },
    )


# --- jurors: their own profile ----------------------------------------------------------------


def _chosen_team_ids(form: JurorProfileForm, juror: Juror, *, may_withdraw: bool) -> list[int]:
    """The teams shown ticked: what was posted, else the declared ones where they may be
    unticked (a juror's declared teams are listed apart, without a box)."""
    if form.is_bound:
        return _ids(form.data.getlist("conflict_teams"))
    return [team.pk for team in juror.conflict_teams.all()] if may_withdraw else []


@login_required
def juror_profile(request: HttpRequest, pk: int) -> HttpResponse:
    """The juror's expertise and declared conflicts; the juror of the round only (404).
    Read-only once the round is closed; a juror adds conflicts but takes none back."""
    round = get_object_or_404(JudgingRound.objects.select_related("event"), pk=pk)
    juror = juror_for_user(round=round, user=request.user)
    declared = sorted(juror.conflict_teams.all(), key=lambda team: (team.name, team.pk))
    if not profile_is_editable(round):
        return render(
            request,
            "judging/invitations_profile.html",
            {
                "round": round,
                "event": round.event,
                "juror": juror,
                "editable": False,
                "declared_teams": declared,
                "closed_error": profile_closed_message() if request.method == "POST" else "",
            },
            status=409 if request.method == "POST" else 200,
        )
    may_withdraw = may_withdraw_conflicts(request.user, juror)
    initial = {
        "expertise": list(juror.expertise.all()),
        "conflict_organisations": juror.conflict_organisations if may_withdraw else "",
    }
    form = JurorProfileForm(
        request.POST or None, juror=juror, may_withdraw=may_withdraw, initial=initial
    )
    searching = request.method == "POST" and "search" in request.POST
    if request.method == "POST" and not searching and form.is_valid():
        try:
            juror_profile_update(
                juror=juror,
                actor=request.user,
                expertise=form.cleaned_data["expertise"],
                conflict_teams=form.cleaned_data["conflict_teams"],
                conflict_organisations=form.cleaned_data["conflict_organisations"],
            )
        except JudgingError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("Your expertise and conflicts are saved."))
            return redirect("judging:juror_profile", pk=round.pk)
    chosen_ids = _chosen_team_ids(form, juror, may_withdraw=may_withdraw)
    declared_ids = {team.pk for team in declared}
    if not may_withdraw:
        chosen_ids = [team_id for team_id in chosen_ids if team_id not in declared_ids]
    chosen = list(Team.objects.filter(event=round.event, pk__in=chosen_ids).order_by("name"))
    query = request.POST.get("team_search", "") if searching else ""
    return render(
        request,
        "judging/invitations_profile.html",
        {
            "round": round,
            "event": round.event,
            "juror": juror,
            "editable": True,
            "may_withdraw": may_withdraw,
            "declared_teams": [] if may_withdraw else declared,
            "form": form,
            "chosen_teams": chosen,
            "results": teams_for_conflict_search(
                event=round.event,
                query=query,
                # A declared team an organiser unticked may be found and ticked again.
                exclude=chosen_ids if may_withdraw else [*chosen_ids, *declared_ids],
            ),
            "query": query,
            "searched": searching,
        },
    )


@login_required
@require_GET
def juror_team_search(request: HttpRequest, pk: int) -> HttpResponse:
    """The team search's results as a fragment of the profile form (htmx), or on a page of
    their own for a browser that followed the link."""
    round = get_object_or_404(JudgingRound.objects.select_related("event"), pk=pk)
    juror = juror_for_user(round=round, user=request.user)
    query = request.GET.get("team_search", "")
    ticked_ids = _ids(request.GET.getlist("conflict_teams"))
    saved_ids = {team.pk for team in juror.conflict_teams.all()}
    # Teams ticked in earlier results but not saved yet stay, ticked, above the new ones
    # (the swap replaces the results); the saved ones are listed above the search anyway.
    ticked = list(
        Team.objects.filter(event=round.event, pk__in=ticked_ids)
        .exclude(pk__in=saved_ids)
        .order_by("name")
    )
    # A juror's declared teams are listed apart, never offered again (they stay declared).
    withdrawable = may_withdraw_conflicts(request.user, juror)
    results = teams_for_conflict_search(
        event=round.event,
        query=query,
        exclude=ticked_ids if withdrawable else [*ticked_ids, *saved_ids],
    )
    context = {
        "round": round,
        "juror": juror,
        "ticked": ticked,
        "results": results,
        "query": query,
        "searched": True,
    }
    if wants_partial(request):
        return render(request, "judging/invitations_team_results.html", context)
    return redirect("judging:juror_profile", pk=round.pk)


urlpatterns = [
    path("rounds/<int:pk>/invite/", invite, name="invite"),
    path("invitations/<str:token>/", invitation, name="invitation"),
    path("rounds/<int:pk>/me/", juror_profile, name="juror_profile"),
    path("rounds/<int:pk>/me/teams/", juror_team_search, name="juror_team_search"),
]
