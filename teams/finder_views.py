"""The team finder and the suggestion pages.

/teams/                                   the finder (event chosen like the challenge catalogue)
/teams/suggestions/<event_slug>/          teams that fit the signed-in participant
/teams/<pk>/suggested-people/             people that fit a team, for its admins
"""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import get_template
from django.utils import translation
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from challenges.enums import State
from challenges.selectors import topic_choices
from events.models import Event
from events.selectors import event_for_user, events_visible_to
from hackathon.forms import FAST_RENDERER, _attrs, _value
from hackathon.htmx import wants_partial
from hackathon.pagecache import cache_page_for_anonymous, fragments
from participants.enums import EventRole
from participants.models import Registration
from teams import rules
from teams.models import Team
from teams.selectors import (
    FINDER_PARAMS,
    finder_choices,
    is_settled,
    team_cards,
    teams_for_finder,
)
from teams.suggestions import people_suggested_for, teams_suggested_for

PAGE_SIZE = 20


class PrebuiltOptionsSelect(forms.Select):
    """A select that writes its options from HTML built once per list of choices and
    language: the same HTML as Django's select templates (and FAST_RENDERER), without an
    option dictionary and two escapes per choice on every request. The finder's lists
    (topic fields, some hundred skills, languages, federal states) are the same for every
    visitor until they change. No option groups: the finder has none."""

    # (language, choices) -> [(value as compared, option HTML)]; the lists change only
    # with the data, so a handful of entries per language; cleared past MAX_LISTS.
    _built: dict[tuple, list[tuple[str, str]]] = {}
    MAX_LISTS = 64

    def render(self, name, value, attrs=None, renderer=None):
        values = self.format_value(value)
        attributes = _attrs(self.build_attrs(self.attrs, attrs))
        html = [f'<select name="{conditional_escape(name)}"{attributes}>']
        selected = False
        for option_value, option in self._options():
            if not selected and option_value in values:
                selected = True
                option = option.replace(">", " selected>", 1)
            html.append(option)
        html.append("\n</select>")
        return mark_safe("".join(html))  # noqa: S308 (every part escaped above)

    def _options(self) -> list[tuple[str, str]]:
        choices = tuple((value, str(label)) for value, label in self.choices)
        key = (translation.get_language(), choices)
        built = self._built.get(key)
        if built is None:
            if len(self._built) >= self.MAX_LISTS:
                self._built.clear()
            built = [
                (
                    str("" if value is None else value),
                    f'\n  <option value="{_value("" if value is None else value)}">'
                    f"{conditional_escape(label)}</option>\n",
                )
                for value, label in choices
            ]
            self._built[key] = built
        return built


class TeamFinderForm(forms.Form):
    """The finder's filters; every field optional, choices limited to what exists."""

    default_renderer = FAST_RENDERER

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
    topic = forms.ChoiceField(label=_("Topic field"), required=False, widget=PrebuiltOptionsSelect)
    skill = forms.ChoiceField(label=_("Wanted skill"), required=False, widget=PrebuiltOptionsSelect)
    language = forms.ChoiceField(label=_("Language"), required=False, widget=PrebuiltOptionsSelect)
    region = forms.ChoiceField(
        label=_("Federal state"),
        required=False,
        choices=[("", _("All federal states")), *State.choices],
        widget=PrebuiltOptionsSelect,
        help_text=_("Of the challenge or of a team member."),
    )

    def __init__(self, *args, event: Event | None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        topics = topic_choices(event=event) if event else []
        skills, languages = finder_choices(event=event) if event else ([], [])
        self.fields["topic"].choices = [("", _("All topic fields")), *topics]
        self.fields["skill"].choices = [("", _("Any skill")), *skills]
        self.fields["language"].choices = [("", _("Any language")), *languages]

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


@require_GET
@cache_page_for_anonymous("events", "challenges", "teams")
def team_finder(request: HttpRequest) -> HttpResponse:
    # Their names for the choice of event; the schedules are not shown here.
    events = list(events_visible_to(user=request.user).prefetch_related(None))
    event = next((e for e in events if e.slug == request.GET.get("event")), None)
    if event is None and events:
        event = events[0]
    filters = TeamFinderForm(request.GET or None, event=event)
    params = filters.finder_params()
    teams = teams_for_finder(event=event, params=params) if event else Team.objects.none()
    # The page's keys only: the cards come from the cache, and `_render_cards` loads the
    # teams whose card is not there (model instances of 20 teams with their challenges
    # cost a millisecond of CPU that a cached card does not need).
    keys = teams.select_related(None).prefetch_related(None).only("pk")
    page = Paginator(keys, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    cards = fragments(
        "team-card",
        page.object_list,
        scopes=("challenges", "teams"),
        key=lambda team: team.pk,
        render=lambda keys: _render_cards(event, keys),
    )
    for team, card in zip(page.object_list, cards, strict=True):
        team.card_html = card
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
    template = "teams/finder_results.html" if wants_partial(request) else "teams/finder.html"
    response = render(request, template, context)
    response["Vary"] = "HX-Request"
    return response


def _render_cards(event: Event, keys: list[Team]) -> list[str]:
    """The cards of these teams of the finder, in their order: the teams are loaded by
    their keys, with what a card shows. One that has closed or filled up since the
    page's query (a moment ago) gets no card."""
    card = get_template("teams/finder_team_card.html")
    found = teams_for_finder(event=event, params={}).filter(pk__in=[key.pk for key in keys])
    teams = {team.pk: team for team in team_cards(list(found.prefetch_related(None)))}
    return [card.render({"team": teams[key.pk]}) if key.pk in teams else "" for key in keys]


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
        team_cards([suggestion.team for suggestion in suggestions])
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
