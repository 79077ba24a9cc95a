"""The admins' manage page of a team: answering requests, members, invitation links.

Admins (and organisers) only; everyone else gets 404. Every action works without
JavaScript (POST, redirect back with a message) and with htmx (the changed section).
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from hackathon.htmx import wants_partial
from teams import rules, selectors, services
from teams.forms import HandOverForm, InvitationForm, PersonalInvitationForm
from teams.models import JoinRequest, Membership, Team
from teams.views import _invitation_path, _redirect_with, _team_for


def _manage_context(request: HttpRequest, team: Team, **extra) -> dict:
    team.refresh_from_db(fields=["member_count", "status", "max_size"])
    memberships = list(team.memberships.select_related("user").order_by("joined_at", "pk"))
    return {
        "team": team,
        "memberships": memberships,
        "my_role": rules.member_role(request.user, team),
        "requests": list(selectors.join_requests_pending(team=team)),
        "invitations": [
            (invitation, request.build_absolute_uri(_invitation_path(invitation.token)))
            for invitation in selectors.invitations_valid(team=team)
        ],
        "invitation_form": InvitationForm(),
        **extra,
    }


def _manage_url(team: Team) -> str:
    return reverse("teams:manage", kwargs={"pk": team.pk})


def _leave_manage_page(request: HttpRequest, team: Team, *, error: str) -> HttpResponse:
    """Back to the team page, for someone who no longer manages the team."""
    if wants_partial(request):
        messages.error(request, error)
        response = HttpResponse(status=204)
        response["HX-Redirect"] = team.get_absolute_url()
        return response
    return _redirect_with(request, team, error=error)


# --- the admins' manage page --------------------------------------------------------------------


@login_required
@require_GET
def team_manage(request: HttpRequest, pk: int) -> HttpResponse:
    team = _team_for(request, pk, rules.can_manage_requests)
    return render(request, "teams/team_manage.html", _manage_context(request, team))


def _request_for(request: HttpRequest, pk: int, request_id: int) -> JoinRequest:
    team = _team_for(request, pk, rules.can_manage_requests)
    join_request = get_object_or_404(
        JoinRequest.objects.select_related("user"), pk=request_id, team=team
    )
    join_request.team = team
    return join_request


def _answer_request(request: HttpRequest, pk: int, request_id: int, *, accept: bool):
    """Accept or decline one join request; a partial for htmx, a redirect otherwise."""
    join_request = _request_for(request, pk, request_id)
    team = join_request.team
    service = services.join_request_accept if accept else services.join_request_decline
    message, error = "", ""
    try:
        service(join_request=join_request, actor=request.user)
    except services.TeamError as exc:
        error = exc.message
    else:
        join_request.refresh_from_db()
        name = join_request.user.public_name
        if accept:
            message = _("%(name)s is now a member of the team.") % {"name": name}
        else:
            message = _("You declined the request of %(name)s.") % {"name": name}
    if wants_partial(request):
        context = _manage_context(request, team, join_request=join_request) if accept else {}
        return render(
            request,
            "teams/_request_answered.html",
            {
                **context,
                "team": team,
                "join_request": join_request,
                "flash": message,
                "flash_error": error,
                "update_members": accept and not error,
            },
        )
    return _redirect_with(request, _manage_url(team), message=message, error=error)


@login_required
@require_POST
def join_request_accept(request: HttpRequest, pk: int, request_id: int) -> HttpResponse:
    return _answer_request(request, pk, request_id, accept=True)


@login_required
@require_POST
def join_request_decline(request: HttpRequest, pk: int, request_id: int) -> HttpResponse:
    return _answer_request(request, pk, request_id, accept=False)


def _membership_for(request: HttpRequest, pk: int, membership_id: int) -> Membership:
    team = _team_for(request, pk, rules.can_manage_members)
    membership = get_object_or_404(
        Membership.objects.select_related("user"), pk=membership_id, team=team
    )
    membership.team = team
    return membership


@login_required
@require_POST
def membership_remove(request: HttpRequest, pk: int, membership_id: int) -> HttpResponse:
    membership = _membership_for(request, pk, membership_id)
    team = membership.team
    message, error = "", ""
    try:
        services.membership_remove(membership=membership, actor=request.user)
    except services.TeamError as exc:
        error = exc.message
    else:
        message = _("%(name)s is no longer a member.") % {"name": membership.user.public_name}
    if wants_partial(request):
        return render(
            request,
            "teams/_members.html",
            {**_manage_context(request, team), "flash": message, "flash_error": error},
        )
    return _redirect_with(request, _manage_url(team), message=message, error=error)


@login_required
@require_POST
def admin_hand_over(request: HttpRequest, pk: int, membership_id: int) -> HttpResponse:
    membership = _membership_for(request, pk, membership_id)
    team = membership.team
    form = HandOverForm(request.POST)
    step_down = form.is_valid() and form.cleaned_data["step_down"]
    message, error = "", ""
    try:
        services.admin_hand_over(
            team=team, actor=request.user, to_user=membership.user, step_down=step_down
        )
    except services.TeamError as exc:
        error = exc.message
    else:
        message = _("%(name)s is now an admin of the team.") % {"name": membership.user.public_name}
    still_manages = rules.can_manage_members(request.user, team)
    if wants_partial(request):
        if not still_manages:
            response = HttpResponse(status=204)
            response["HX-Redirect"] = team.get_absolute_url()
            if message:
                messages.success(request, message)
            return response
        return render(
            request,
            "teams/_members.html",
            {**_manage_context(request, team), "flash": message, "flash_error": error},
        )
    target = _manage_url(team) if still_manages else team
    return _redirect_with(request, target, message=message, error=error)


@login_required
@require_POST
def invitation_create(request: HttpRequest, pk: int) -> HttpResponse:
    team = _team_for(request, pk, rules.can_manage_members)
    form = InvitationForm(request.POST)
    message, error = "", ""
    if form.is_valid():
        days = form.cleaned_data["valid_days"] or 7
        try:
            services.invitation_create(
                team=team, actor=request.user, valid_for=timedelta(days=days)
            )
        except services.TeamError as exc:
            error = exc.message
        else:
            message = _("A new invitation link was created. Share it with the people you invite.")
    else:
        error = _("An invitation is valid for 1 to 60 days.")
    if wants_partial(request):
        return render(
            request,
            "teams/_invitations.html",
            {**_manage_context(request, team), "flash": message, "flash_error": error},
        )
    return _redirect_with(request, _manage_url(team), message=message, error=error)


@login_required
@require_POST
def invitation_personal_create(request: HttpRequest, pk: int) -> HttpResponse:
    """ "Invite to my team" on a person's card (people finder, suggested people): a personal
    invitation the person is notified of. Admins (and organisers) only; others get 404."""
    team = _team_for(request, pk, rules.can_manage_members)
    form = PersonalInvitationForm(request.POST)
    invitee = None
    if form.is_valid():
        invitee = (
            get_user_model().objects.filter(pk=form.cleaned_data["invitee"], is_active=True).first()
        )
    message, error = "", ""
    if invitee is None:
        error = _("You can only invite participants of this event whose profile you can see.")
    else:
        try:
            services.invitation_create(team=team, actor=request.user, invitee=invitee)
        except services.TeamError as exc:
            error = exc.message
        else:
            message = _("%(name)s is invited to %(team)s and has been notified.") % {
                "name": invitee.public_name,
                "team": team.name,
            }
    if wants_partial(request):
        return render(
            request, "teams/_invite_result.html", {"flash": message, "flash_error": error}
        )
    target = form.cleaned_data.get("next", "") if form.is_valid() else ""
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("teams:suggested_people", kwargs={"pk": team.pk})
    return _redirect_with(request, target, message=message, error=error)


@login_required
@require_POST
def invitation_revoke(request: HttpRequest, pk: int, invitation_id: int) -> HttpResponse:
    team = _team_for(request, pk, rules.can_manage_members)
    invitation = get_object_or_404(team.invitations, pk=invitation_id)
    invitation.team = team
    message, error = "", ""
    try:
        services.invitation_revoke(invitation=invitation, actor=request.user)
    except services.TeamError as exc:
        # The person stepped down (or was removed) a moment ago.
        error = exc.message
    else:
        message = _("The invitation link no longer works.")
    if error and not rules.can_manage_members(request.user, team):
        return _leave_manage_page(request, team, error=error)
    if wants_partial(request):
        return render(
            request,
            "teams/_invitations.html",
            {**_manage_context(request, team), "flash": message, "flash_error": error},
        )
    return _redirect_with(request, _manage_url(team), message=message, error=error)
