from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from events.rules import can_view_event
from events.selectors import event_for_user
from hackathon.htmx import wants_partial
from participants import rules, selectors, services, signals
from participants.enums import MAX_SKILLS, ProfileVisibility
from participants.forms import PeopleFilterForm, ProfileForm, RegistrationForm

PAGE_SIZE = 20


@login_required
def register(request: HttpRequest, event_slug: str) -> HttpResponse:
    """Registration for one event: the code of conduct, the role, "looking for a team"."""
    event = event_for_user(slug=event_slug, user=request.user)
    registration = selectors.registration_of(user=request.user, event=event)
    state = selectors.registration_state(event=event)
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and registration is None and form.is_valid():
        try:
            services.registration_create(
                event=event,
                user=request.user,
                role=form.cleaned_data["role"],
                looking_for_team=form.cleaned_data["looking_for_team"],
                accept_code_of_conduct=form.cleaned_data["accept_code_of_conduct"],
            )
        except services.ParticipantError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(
                request,
                _("You are registered for %(event)s. Tell others about yourself in your profile.")
                % {"event": event.name},
            )
            return redirect("participants:profile")
    return render(
        request,
        "participants/registration_form.html",
        {"event": event, "registration": registration, "state": state, "form": form},
    )


@login_required
@require_POST
def unregister(request: HttpRequest, event_slug: str) -> HttpResponse:
    registration = selectors.registration_for_user(user=request.user, event_slug=event_slug)
    try:
        services.registration_cancel(registration=registration, actor=request.user)
    except services.ParticipantError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("You are no longer registered for %(event)s.") % {"event": registration.event.name},
        )
    return redirect("participants:profile")


@login_required
@require_POST
def looking_for_team(request: HttpRequest, event_slug: str) -> HttpResponse:
    """Switches "looking for a team" for one registration; htmx swaps the row in place."""
    registration = selectors.registration_for_user(user=request.user, event_slug=event_slug)
    wanted = request.POST.get("looking_for_team", "") in {"on", "true", "1"}
    error = None
    try:
        services.registration_update(
            registration=registration, actor=request.user, looking_for_team=wanted
        )
    except services.ParticipantError as exc:
        error = exc.message
    if wants_partial(request):
        return render(
            request,
            "participants/_registration_item.html",
            {"registration": registration, "error": error},
            status=400 if error else 200,
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("Your registration has been saved."))
    return redirect("participants:profile")


@login_required
def profile_edit(request: HttpRequest) -> HttpResponse:
    """The person's own profile, their registrations and the events open for registration."""
    profile = selectors.profile_for_editing(user=request.user)
    form = ProfileForm(request.POST or None, user=request.user, profile=profile)
    if request.method == "POST" and form.is_valid():
        try:
            services.profile_update(user=request.user, **form.service_data())
        except services.ParticipantError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(request, _("Your profile has been saved."))
            return redirect("participants:profile")
    return render(
        request,
        "participants/profile_form.html",
        {
            "form": form,
            "profile": profile,
            "registrations": selectors.registrations_of(user=request.user),
            "open_events": selectors.events_open_for_registration(user=request.user),
            "max_skills": MAX_SKILLS,
            "visibility": ProfileVisibility,
        },
    )


@require_GET
def profile_detail(request: HttpRequest, user_id: int) -> HttpResponse:
    """A person's profile as the viewer may see it; 404 for those who may not."""
    profile = selectors.profile_for_viewer(user_id=user_id, viewer=request.user)
    registration = None
    if slug := request.GET.get("event"):
        registration = (
            profile.user.registrations.filter(event__slug=slug).select_related("event").first()
        )
        if registration and not can_view_event(request.user, registration.event):
            registration = None
    return render(
        request,
        "participants/profile_detail.html",
        {
            "person": profile.user,
            "profile": profile,
            "registration": registration,
            "is_self": request.user.is_authenticated and request.user.pk == profile.user_id,
        },
    )


@login_required
@require_GET
def people_finder(request: HttpRequest, event_slug: str) -> HttpResponse:
    """Team admins (and organisers) look for participants who still need a team."""
    event = event_for_user(slug=event_slug, user=request.user)
    if not rules.can_use_people_finder(request.user, event):
        return render(
            request, "participants/people_finder_forbidden.html", {"event": event}, status=403
        )
    filters = PeopleFilterForm(request.GET or None, event=event)
    params = filters.cleaned_data if filters.is_valid() else {}
    people = selectors.people_for_finder(event=event, params=params)
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "event": event,
        "filters": filters,
        "page": page,
        "query_string": query.urlencode(),
        # What other apps put on each card: teams an "Invite to my team" button.
        "invite_teams": [],
        "person_actions_template": "",
    }
    for extra in signals.answers(signals.people_finder_context, user=request.user, event=event):
        context.update(extra)
    partial = wants_partial(request)
    template = "participants/_people_results.html" if partial else "participants/people_finder.html"
    return render(request, template, context)
