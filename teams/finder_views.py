"""The team finder and the suggestion pages.

/teams/                                   the finder (event chosen like the challenge catalogue)
/teams/suggestions/<event_slug>/          teams that fit the signed-in participant
/teams/<pk>/suggested-people/             people that fit a team, for its admins
"""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from challenges.enums import State
from challenges.models import Topic
from events.models import Event
from events.selectors import event_for_user, events_visible_to
from hackathon.pagecache import cache_page_for_anonymous
from participants.enums import EventRole
from participants.models import Language, Registration, Skill
from teams import rules
from teams.models import Team
from teams.selectors import FINDER_PARAMS, is_settled, teams_for_finder
from teams.suggestions import people_suggested_for, teams_suggested_for

PAGE_SIZE = 20


class TeamFinderForm(forms.Form):
    """The finder's filters; every field optional, choices limited to what exists."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Name or pitch")}),
    )
    challenge = forms.IntegerField(
        label=_("Challenge number"),
        required=False,
        min_value=1,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    topic = forms.ChoiceField(label=_("Topic field"), required=False)
    skill = forms.ChoiceField(label=_("Wanted skill"), required=False)
    language = forms.ChoiceField(label=_("Language"), required=False)
    region = forms.ChoiceField(
        label=_("Federal state"),
        required=False,
        choices=[("", _("All federal states")), *State.choices],
        help_text=_("Of the challenge or of a team member."),
    )

    def __init__(self, *args, event: Event | None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        topics = Topic.objects.filter(event=event).values_list("slug", "name") if event else []
        self.fields["topic"].choices = [("", _("All topic fields")), *topics]
        # Curated skills and every skill some team of this event is looking for, by the
        # name they have in the page's language.
        skills = (
            Skill.objects.filter(Q(is_curated=True) | Q(open_roles__team__event=event)).distinct()
            if event
            else []
        )
        choices = sorted(((s.slug, s.label) for s in skills), key=lambda c: c[1].casefold())
        self.fields["skill"].choices = [("", _("Any skill")), *choices]
        self.fields["language"].choices = [
            ("", _("Any language")),
            *Language.objects.values_list("code", "name"),
        ]

    def finder_params(self) -> dict[str, str]:
        """The valid filters, as the selector wants them (invalid fields are left out)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        params = {}
        for name in FINDER_PARAMS:
            value = cleaned.get(name)
            if value not in (None, "") and name not in self.errors:
                params[name] = str(value)
        return params


def _is_partial(request: HttpRequest) -> bool:
    # A history restore (back button after the cache was evicted) needs the whole page.
    return bool(request.htmx) and not request.htmx.history_restore_request


@require_GET
@cache_page_for_anonymous("events", "challenges", "teams")
def team_finder(request: HttpRequest) -> HttpResponse:
    events = list(events_visible_to(user=request.user))
    event = next((e for e in events if e.slug == request.GET.get("event")), None)
    if event is None and events:
        event = events[0]
    filters = TeamFinderForm(request.GET or None, event=event)
    params = filters.finder_params()
    teams = teams_for_finder(event=event, params=params) if event else Team.objects.none()
    page = Paginator(teams, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    role = None
    if event is not None and request.user.is_authenticated:
        role = (
            Registration.objects.filter(event=event, user=request.user)
            .values_list("role", flat=True)
            .first()
        )
    context = {
        "event": event,
        "events": events,
        "filters": filters,
        "page": page,
        "query_string": query.urlencode(),
        "is_filtered": bool(params),
        "role": role,
    }
    template = "teams/finder_results.html" if _is_partial(request) else "teams/finder.html"
    response = render(request, template, context)
    response["Vary"] = "HX-Request"
    return response


@login_required
@require_GET
def team_suggestions(request: HttpRequest, event_slug: str) -> HttpResponse:
    """Teams that fit the signed-in person; people not registered as participants are told
    to register first and see no suggestions."""
    event = event_for_user(slug=event_slug, user=request.user)
    registration = Registration.objects.filter(event=event, user=request.user).first()
    suggestions = []
    settled = False
    if registration is not None and registration.role == EventRole.PARTICIPANT:
        settled = is_settled(event=event, user=request.user)
        suggestions = teams_suggested_for(event=event, user=request.user)
    return render(
        request,
        "teams/suggestions.html",
        {
            "event": event,
            "registration": registration,
            "suggestions": suggestions,
            "settled": settled,
        },
    )


@login_required
@require_GET
def team_suggested_people(request: HttpRequest, pk: int) -> HttpResponse:
    """People that fit the team; only its admins get in (everyone else: 404)."""
    team = get_object_or_404(Team.objects.select_related("event", "challenge__topic"), pk=pk)
    if not rules.is_team_admin(request.user, team):
        raise Http404
    return render(
        request,
        "teams/suggested_people.html",
        {
            "team": team,
            "event": team.event,
            "suggestions": people_suggested_for(team=team),
            "invite_teams": [team] if team.is_open else [],
        },
    )
