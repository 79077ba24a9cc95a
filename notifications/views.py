"""The notification centre and e-mail preferences.

Every action is a plain POST form that works without JavaScript; with htmx, the
changed item or list is swapped in place and the unread badge in the header is
updated out of band.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hackathon.htmx import wants_partial
from notifications.forms import NotificationPreferencesForm
from notifications.rendering import notification_link
from notifications.selectors import (
    email_preferences_for,
    notification_for_user,
    notifications_for_user,
)
from notifications.services import (
    NotificationError,
    notification_mark_read,
    notification_preferences_update,
    notifications_mark_all_read,
)

PAGE_SIZE = 20
CENTRE_ID = "notification-centre"


def _centre_context(request: HttpRequest, page_number) -> dict:
    page = Paginator(notifications_for_user(user=request.user), PAGE_SIZE).get_page(page_number)
    # Where the forms on this page send a person back to when JavaScript is off.
    next_url = reverse("notifications:list")
    if page.number > 1:
        next_url += f"?page={page.number}"
    return {"page_obj": page, "next": next_url}


def _back(request: HttpRequest) -> HttpResponse:
    """Back to the page the form was on (a local URL only), else the list."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("notifications:list")


@login_required
@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    context = _centre_context(request, request.GET.get("page"))
    if wants_partial(request) and request.htmx.target == CENTRE_ID:
        return render(request, "notifications/_notification_centre.html", context)
    return render(request, "notifications/notification_list.html", context)


@login_required
@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    notification = notification_for_user(user=request.user, notification_id=pk)
    notification = notification_mark_read(notification=notification, user=request.user)
    if wants_partial(request):
        return render(
            request,
            "notifications/_notification_read_response.html",
            {"notification": notification, "next": request.POST.get("next", "")},
        )
    return _back(request)


@login_required
@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    count = notifications_mark_all_read(user=request.user)
    if wants_partial(request):
        return render(
            request,
            "notifications/_notification_read_all_response.html",
            {**_centre_context(request, request.POST.get("page")), "marked": count},
        )
    messages.success(request, _("All notifications are marked as read."))
    return _back(request)


@login_required
@require_POST
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Marks a notification read and follows its link. A POST: no GET changes data (a
    link prefetcher or a crawler following links must not mark anything read)."""
    notification = notification_for_user(user=request.user, notification_id=pk)
    notification_mark_read(notification=notification, user=request.user)
    link = notification_link(notification)
    # A kind's own get_link could return anything; only pages of this site are followed.
    if not link or not url_has_allowed_host_and_scheme(link, allowed_hosts=None):
        link = reverse("notifications:list")
    return redirect(link)


@login_required
@require_http_methods(["GET", "POST"])
def notification_preferences(request: HttpRequest) -> HttpResponse:
    # Not `request.POST or None`: with every box unticked the post is empty but still a save.
    form = NotificationPreferencesForm(
        request.POST if request.method == "POST" else None,
        preferences=email_preferences_for(user=request.user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            notification_preferences_update(user=request.user, email_enabled=form.email_enabled())
        except NotificationError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Your notification settings have been saved."))
            return redirect("notifications:preferences")
    return render(request, "notifications/notification_preferences.html", {"form": form})
