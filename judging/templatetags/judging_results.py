"""Links to judging from pages of other apps (which do not import judging): the event
page's results link and the project page's feedback link for its team."""

from __future__ import annotations

from django import template
from django.urls import reverse

from judging.results import feedback_available, has_published_results

register = template.Library()


@register.simple_tag
def judging_results_url(event) -> str:
    """The event's public results page once a round is published, else ""."""
    if has_published_results(event=event):
        return reverse("judging:public_results", args=[event.slug])
    return ""


@register.simple_tag
def judging_feedback_url(project, user) -> str:
    """The team's feedback page for a member once a round that judged it is published,
    else "" (nobody else sees the link, nor the page)."""
    if feedback_available(project=project, user=user):
        return reverse("judging:feedback", args=[project.pk])
    return ""
