"""The public gallery and the project page.

/projects/            submitted projects of one event (chosen like the challenge catalogue),
                      searched, filtered, sorted and paginated; htmx swaps the results only
/projects/<pk>/       a project's page with OpenGraph tags; drafts and withdrawn projects are
                      404 except for the team's members and organisers, who see a notice
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import get_template
from django.templatetags.static import static
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from challenges.selectors import topic_choices
from events.models import Event
from events.selectors import events_visible_to
from hackathon.forms import FAST_RENDERER
from hackathon.htmx import wants_partial
from hackathon.pagecache import cache_page_for_anonymous, fragments
from projects import rules
from projects.enums import ProjectCategory, ProjectStatus
from projects.models import Project
from projects.selectors import project_cards, project_for_public, projects_for_gallery

PAGE_SIZE = 20
DEFAULT_SHARE_IMAGE = "img/og-default.png"
# The long texts a gallery card never shows: not loaded for 20 cards per page.
CARD_DEFERRED_FIELDS = (
    "problem",
    "solution",
    "target_group",
    "how_it_works",
    "next_steps",
    "search_document",
)


class GalleryFilterForm(forms.Form):
    """The gallery's filters; every field optional, choices limited to what exists."""

    default_renderer = FAST_RENDERER

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Title, pitch, idea")}),
    )
    challenge = forms.IntegerField(
        label=_("Challenge number"),
        required=False,
        min_value=1,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    topic = forms.ChoiceField(label=_("Topic field"), required=False)
    category = forms.ChoiceField(
        label=_("Category"),
        required=False,
        choices=[("", _("All categories")), *ProjectCategory.choices],
    )
    has_video = forms.BooleanField(label=_("With a pitch video"), required=False)
    has_code = forms.BooleanField(label=_("With a code repository"), required=False)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[("", _("Best match or newest")), ("newest", _("Newest")), ("title", _("Title"))],
    )

    def __init__(self, *args, event: Event | None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        topics = topic_choices(event=event) if event else []
        self.fields["topic"].choices = [("", _("All topic fields")), *topics]

    def gallery_params(self) -> dict:
        """The valid filters, as the selector wants them (invalid fields are left out).

        An unticked box means "no filter", not "without video"."""
        if not self.is_bound:
            return {}
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        params = {}
        for name, value in cleaned.items():
            if name in self.errors or value in (None, "", False):
                continue
            params[name] = value
        return params


@require_GET
@cache_page_for_anonymous("events", "challenges", "teams", "projects")
def project_gallery(request: HttpRequest) -> HttpResponse:
    # Their names for the choice of event; the schedules are not shown here.
    events = list(events_visible_to(user=request.user).prefetch_related(None))
    event = next((e for e in events if e.slug == request.GET.get("event")), None)
    if event is None and events:
        event = events[0]
    filters = GalleryFilterForm(request.GET or None, event=event)
    params = filters.gallery_params()
    projects = (
        projects_for_gallery(event=event, params=params).defer(*CARD_DEFERRED_FIELDS)
        if event
        else Project.objects.none()
    )
    # The cards come from the cache; what a card shows is loaded for the others only.
    page = Paginator(projects.prefetch_related(None), PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    cards = fragments(
        "project-card",
        page.object_list,
        scopes=("challenges", "teams", "projects"),
        key=lambda project: project.pk,
        render=_render_cards,
    )
    for project, card in zip(page.object_list, cards, strict=True):
        project.card_html = card
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "event": event,
        "events": events,
        "filters": filters,
        "page": page,
        "query_string": query.urlencode(),
        "is_filtered": bool(params),
    }
    template = (
        "projects/gallery_results.html" if wants_partial(request) else "projects/gallery.html"
    )
    response = render(request, template, context)
    response["Vary"] = "HX-Request"
    return response


def _render_cards(projects: list[Project]) -> list[str]:
    card = get_template("projects/_project_card.html")
    return [card.render({"project": project}) for project in project_cards(projects)]


def absolute_url(path_or_url: str) -> str:
    """An absolute URL on this site (SITE_URL), for links shared outside it."""
    if urlsplit(path_or_url).scheme:
        return path_or_url  # already absolute, e.g. files on object storage
    return settings.SITE_URL + "/" + path_or_url.lstrip("/")


@require_GET
@cache_page_for_anonymous("events", "challenges", "teams", "projects", "people")
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    project = project_for_public(pk=pk, user=request.user)
    images = project.public_images
    share_image = images[0].image.url if images else static(DEFAULT_SHARE_IMAGE)
    memberships = list(project.team.memberships.all())
    context = {
        "project": project,
        "event": project.event,
        "images": images,
        "challenges": list(project.challenges.all()),
        "tags": list(project.tags.all()),
        "credited_members": list(project.credited_members.all()),
        "members": [membership.user for membership in memberships],
        "is_public": project.status == ProjectStatus.SUBMITTED,
        "can_edit": rules.can_edit_project(request.user, project),
        "can_view_versions": rules.can_view_versions(request.user, project),
        "video_host": _host(project.video_url),
        "share": {
            "url": absolute_url(project.get_absolute_url()),
            "image": absolute_url(share_image),
            "image_alt": images[0].alt_text if images else "",
        },
    }
    return render(request, "projects/project_detail.html", context)


def _host(url: str) -> str:
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.")
