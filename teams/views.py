"""The team pages: the team, founding and editing it, joining, invitation links.

Every POST calls one service and works without JavaScript (redirect with a message);
with htmx it answers with the partial it replaces. Teams are fetched so that a person
who may not see them gets 404, and so does anyone but an admin (or an organiser) on
the admin-only pages and actions.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from challenges.enums import ChallengeStatus
from challenges.models import Challenge
from events.rules import can_view_event
from events.selectors import event_for_user
from hackathon.htmx import wants_partial
from hackathon.pagecache import cache_page_for_anonymous
from participants.enums import EventRole
from participants.models import Registration
from teams import rules, selectors, services
from teams.enums import TeamStatus
from teams.forms import JoinRequestForm, OpenRoleForm, TeamForm
from teams.models import OpenRole, Team

# --- helpers ------------------------------------------------------------------------------------


def _team_for(request: HttpRequest, pk: int, predicate=None) -> Team:
    """The team if the person may see it and, with `predicate`, may do this; else 404."""
    team = selectors.team_for_user(pk=pk, user=request.user)
    if predicate is not None and not predicate(request.user, team):
        raise Http404
    return team


def _login_redirect(request: HttpRequest, next_url: str) -> HttpResponse:
    return redirect(f"{resolve_url(settings.LOGIN_URL)}?{urlencode({'next': next_url})}")


def _participant_registration(*, event, user) -> Registration | None:
    if not user.is_authenticated:
        return None
    return Registration.objects.filter(
        event=event, user_id=user.pk, role=EventRole.PARTICIPANT
    ).first()


def _join_context(request: HttpRequest, team: Team, *, form=None, error: str = "") -> dict:
    """What the join box on the team page shows this person."""
    user = request.user
    role = rules.member_role(user, team)
    context = {
        "team": team,
        "role": role,
        "is_member": role is not None,
        "pending_request": None,
        "join_form": form or JoinRequestForm(),
        "join_error": error,
        "cannot_join": "",
    }
    if role is not None or not user.is_authenticated:
        return context
    context["pending_request"] = selectors.join_request_of(team=team, user=user)
    if context["pending_request"] is not None:
        return context
    if team.status != TeamStatus.OPEN:
        context["cannot_join"] = _("This team is closed.")
    elif team.member_count >= team.max_size:
        context["cannot_join"] = _("This team is full.")
    elif _participant_registration(event=team.event, user=user) is None:
        context["cannot_join"] = _("Register as a participant of this event to join a team.")
        context["needs_registration"] = True
    elif selectors.is_settled(event=team.event, user=user):
        context["cannot_join"] = _("You are already in a team of this event.")
    return context


def _join_box(request: HttpRequest, team: Team, **kwargs) -> HttpResponse:
    team.refresh_from_db(fields=["member_count", "status"])
    return render(request, "teams/_join_box.html", _join_context(request, team, **kwargs))


def _invitation_path(token: str) -> str:
    return reverse("teams:invitation", kwargs={"token": token})


def _redirect_with(request: HttpRequest, to, *, message: str = "", error: str = ""):
    if error:
        messages.error(request, error)
    elif message:
        messages.success(request, message)
    return redirect(to)


# --- the team page ---------------------------------------------------------------------------


@require_GET
@cache_page_for_anonymous("events", "challenges", "teams", "projects", "people")
def team_detail(request: HttpRequest, pk: int) -> HttpResponse:
    team = selectors.team_page_data(team=_team_for(request, pk))
    memberships = list(team.memberships.all())
    context = {
        **_join_context(request, team),
        "memberships": memberships,
        "open_roles": list(team.open_roles.all()),
        "languages": list(team.languages.all()),
        "can_see_chat": rules.can_see_chat_link(request.user, team),
        "can_edit": rules.can_edit_team(request.user, team),
        "can_manage": rules.can_manage_requests(request.user, team),
    }
    return render(request, "teams/team_detail.html", context)


@login_required
@require_GET
def my_teams(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "teams/my_teams.html",
        {"memberships": list(selectors.memberships_of(user=request.user))},
    )


# --- founding and editing ----------------------------------------------------------------------


def _challenge_from(request: HttpRequest, event) -> Challenge | None:
    number = request.POST.get("challenge") or request.GET.get("challenge") or ""
    if not str(number).lstrip("#").isdigit():
        return None
    return Challenge.objects.filter(
        event=event, number=int(str(number).lstrip("#")), status=ChallengeStatus.PUBLISHED
    ).first()


@login_required
def team_create(request: HttpRequest, event_slug: str) -> HttpResponse:
    event = event_for_user(slug=event_slug, user=request.user)
    challenge = _challenge_from(request, event)
    registration = _participant_registration(event=event, user=request.user)
    form = TeamForm(request.POST or None, event=event)
    if request.method == "POST":
        if challenge is None:
            form.add_error(None, _("Choose a published challenge of this event for the team."))
        elif form.is_valid():
            try:
                team = services.team_create(
                    event=event, challenge=challenge, founder=request.user, data=form.service_data()
                )
            except services.TeamError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
            else:
                messages.success(
                    request, _("Your team is founded. Add the roles you are looking for.")
                )
                return redirect("teams:edit", pk=team.pk)
    return render(
        request,
        "teams/team_form.html",
        {
            "form": form,
            "event": event,
            "challenge": challenge,
            "registration": registration,
            "challenge_value": request.POST.get("challenge") or request.GET.get("challenge", ""),
            "in_team": registration is not None
            and selectors.is_settled(event=event, user=request.user),
        },
    )


@login_required
def team_edit(request: HttpRequest, pk: int) -> HttpResponse:
    team = _team_for(request, pk, rules.can_edit_team)
    form = TeamForm(request.POST or None, event=team.event, instance=team)
    if request.method == "POST" and form.is_valid():
        try:
            services.team_update(team=team, actor=request.user, data=form.service_data())
        except services.TeamError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("Your changes have been saved."))
            return redirect(team)
    if request.method == "POST":
        team.refresh_from_db()
    return render(request, "teams/team_edit.html", _edit_context(team, form=form))


def _edit_context(team: Team, **extra) -> dict:
    return {
        "team": team,
        "open_roles": list(team.open_roles.prefetch_related("skills")),
        "role_form": OpenRoleForm(prefix="role"),
        **extra,
    }


@login_required
@require_POST
def open_role_create(request: HttpRequest, pk: int) -> HttpResponse:
    team = _team_for(request, pk, rules.can_edit_team)
    form = OpenRoleForm(request.POST, prefix="role")
    if form.is_valid():
        try:
            services.open_role_create(team=team, actor=request.user, **form.service_data())
        except services.TeamError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("The role was added."))
            return redirect("teams:edit", pk=team.pk)
    return render(
        request,
        "teams/team_edit.html",
        _edit_context(team, form=TeamForm(event=team.event, instance=team), role_form=form),
        status=400,
    )


def _role_for(request: HttpRequest, pk: int, role_id: int) -> OpenRole:
    team = _team_for(request, pk, rules.can_edit_team)
    role = get_object_or_404(OpenRole, pk=role_id, team=team)
    role.team = team
    return role


@login_required
def open_role_edit(request: HttpRequest, pk: int, role_id: int) -> HttpResponse:
    role = _role_for(request, pk, role_id)
    form = OpenRoleForm(request.POST or None, instance=role)
    if request.method == "POST" and form.is_valid():
        try:
            services.open_role_update(role=role, actor=request.user, **form.service_data())
        except services.TeamError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("Your changes have been saved."))
            return redirect("teams:edit", pk=pk)
    return render(request, "teams/open_role_form.html", {"team": role.team, "form": form})


@login_required
@require_POST
def open_role_delete(request: HttpRequest, pk: int, role_id: int) -> HttpResponse:
    role = _role_for(request, pk, role_id)
    try:
        services.open_role_delete(role=role, actor=request.user)
    except services.TeamError as error:
        # E.g. the team was closed, or the person stepped down, a moment ago.
        messages.error(request, error.message)
        return redirect(role.team)
    messages.success(request, _("The role was removed."))
    return redirect("teams:edit", pk=pk)


@login_required
def team_close(request: HttpRequest, pk: int) -> HttpResponse:
    team = _team_for(request, pk, rules.can_close_team)
    if request.method == "POST":
        try:
            services.team_close(team=team, actor=request.user)
        except services.TeamError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The team was closed."))
        return redirect(team)
    return render(request, "teams/team_close.html", {"team": team})


# --- joining, leaving --------------------------------------------------------------------------


@require_POST
def join_request_create(request: HttpRequest, pk: int) -> HttpResponse:
    team = _team_for(request, pk)
    if not request.user.is_authenticated:
        return _login_redirect(request, team.get_absolute_url())
    form = JoinRequestForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            services.join_request_create(
                team=team, user=request.user, message=form.cleaned_data["message"]
            )
        except services.TeamError as exc:
            error = exc.message
    else:
        error = _("Please check your message.")
    if wants_partial(request):
        return _join_box(request, team, form=form if error else None, error=error)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("Your request was sent. The team's admins will answer soon."))
    return redirect(team)


@login_required
@require_POST
def join_request_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    team = _team_for(request, pk)
    join_request = selectors.join_request_of(team=team, user=request.user)
    error = ""
    if join_request is None:
        error = _("You have no open request to this team.")
    else:
        try:
            services.join_request_withdraw(join_request=join_request, user=request.user)
        except services.TeamError as exc:
            error = exc.message
    if wants_partial(request):
        return _join_box(request, team, error=error)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("Your request was withdrawn."))
    return redirect(team)


@login_required
@require_POST
def membership_leave(request: HttpRequest, pk: int) -> HttpResponse:
    team = _team_for(request, pk, rules.is_team_member)
    try:
        services.membership_leave(team=team, user=request.user)
    except services.TeamError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("You left the team."))
    if wants_partial(request):
        # Leaving changes the whole page (chat link, members): reload it.
        response = HttpResponse(status=204)
        response["HX-Redirect"] = team.get_absolute_url()
        return response
    return redirect(team)


# --- accepting an invitation ------------------------------------------------------------------


def invitation_page(request: HttpRequest, token: str) -> HttpResponse:
    """Shows the team of an invitation and a button to join; anyone with the link may look,
    only the invited person may use a personal invitation."""
    invitation = selectors.invitation_by_token(token=token)
    if invitation is not None and not can_view_event(request.user, invitation.team.event):
        invitation = None
    problem = services.invitation_problem(invitation, user=request.user)
    if request.method == "POST":
        if not request.user.is_authenticated:
            return _login_redirect(request, request.path)
        if problem is None:
            try:
                services.invitation_accept(token=token, user=request.user)
            except services.TeamError as error:
                problem = error.message
            else:
                messages.success(
                    request,
                    _("Welcome to %(team)s! You are now a member.") % {"team": invitation.team},
                )
                return redirect(invitation.team)
    elif request.method != "GET":
        return HttpResponse(status=405)
    team = invitation.team if invitation is not None else None
    is_member = team is not None and rules.is_team_member(request.user, team)
    return render(
        request,
        "teams/invitation.html",
        {"invitation": invitation, "team": team, "problem": problem, "is_member": is_member},
        status=200 if invitation is not None else 404,
    )
