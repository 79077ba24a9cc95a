"""The organisers' overview of the submissions of one event, and its CSV export.

Organisers only: anonymous visitors are sent to log in, everybody else gets a 404,
as if the page did not exist.
"""

from __future__ import annotations

import csv
import io

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from events.models import Event
from events.selectors import event_for_user
from projects.organiser_selectors import projects_for_export, submission_overview
from projects.rules import can_see_submission_overview

EXPORT_COLUMNS = [
    "id",
    "title",
    "team",
    "members",
    "challenges",
    "category",
    "repository_url",
    "video_url",
    "demo_url",
    "slides_url",
    "licence",
    "status",
    "submitted_at",
    "late",
    "latest_version",
    "jurors_version",
    "url",
]
# A cell starting like this is a formula to a spreadsheet program (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value) -> str:
    """The cell as text, with a leading ' when a spreadsheet would run it as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _event_for_organiser(request: HttpRequest, event_slug: str) -> Event:
    event = event_for_user(slug=event_slug, user=request.user)
    if not can_see_submission_overview.test(request.user, event):
        raise Http404
    return event


@login_required
@require_GET
def submission_overview_view(request: HttpRequest, event_slug: str) -> HttpResponse:
    event = _event_for_organiser(request, event_slug)
    return render(
        request,
        "projects/organiser_overview.html",
        {"event": event, "overview": submission_overview(event=event)},
    )


@login_required
@require_GET
def submission_export(request: HttpRequest, event_slug: str) -> HttpResponse:
    """All projects of the event as CSV (UTF-8 with BOM, for spreadsheet programs)."""
    event = _event_for_organiser(request, event_slug)
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(EXPORT_COLUMNS)
    for project in projects_for_export(event=event):
        submitted_at = event.localtime(project.submitted_at) if project.submitted_at else None
        writer.writerow(
            csv_safe(value)
            for value in [
                project.pk,
                project.title,
                project.team.name,
                "|".join(m.user.public_name for m in project.team.memberships.all()),
                "|".join(
                    str(c.number)
                    for c in sorted(project.challenges.all(), key=lambda c: c.number or 0)
                ),
                project.category,
                project.repository_url,
                project.video_url,
                project.demo_url,
                project.slides_url,
                project.licence,
                project.status,
                submitted_at.isoformat() if submitted_at else "",
                "yes" if project.is_late else "no",
                project.latest_version or "",
                project.jurors_version or "",
                request.build_absolute_uri(project.get_absolute_url()),
            ]
        )
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime(timezone.now(), event.tzinfo).strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="projects-{event.slug}-{stamp}.csv"'
    return response
