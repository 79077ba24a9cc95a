from __future__ import annotations

from contextlib import suppress

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language
from rest_framework.authtoken.models import Token

from accounts.forms import ProfileForm
from accounts.services import (
    AccountError,
    user_api_token_renew,
    user_api_token_revoke,
    user_set_language,
    user_update_profile,
)


def _remember_language_cookie(response: HttpResponse, language: str) -> None:
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
    )


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's language switch, remembered on the account of a signed-in person."""
    response = django_set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated:
        # An unknown language was ignored by Django's view as well; nothing to remember.
        with suppress(AccountError):
            user_set_language(user=request.user, language=language)
    return response


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    """The account page: display name and language; links to e-mail and password."""
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        user = user_update_profile(
            user=request.user,
            display_name=form.cleaned_data["display_name"],
            language=form.cleaned_data["language"],
        )
        # Said in the language just chosen: the next page is shown in it.
        with translation.override(user.language):
            messages.success(request, _("Your account has been saved."))
        response = redirect("accounts:profile")
        # The cookie wins over the saved language; keep both in step.
        _remember_language_cookie(response, user.language)
        return response
    api_token = Token.objects.filter(user=request.user).first()
    return render(request, "accounts/profile.html", {"form": form, "api_token": api_token})


@login_required
@require_POST
def api_token(request: HttpRequest) -> HttpResponse:
    """Makes a new API token for the signed-in person, or revokes theirs."""
    if "revoke" in request.POST:
        if user_api_token_revoke(user=request.user):
            messages.success(request, _("Your API token was revoked."))
    else:
        user_api_token_renew(user=request.user)
        messages.success(
            request, _("Your new API token is shown below. The previous one no longer works.")
        )
    return redirect(f"{reverse('accounts:profile')}#api-token-heading")
