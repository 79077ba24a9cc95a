from django import forms
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.services import user_update_profile


class SignupExtraForm(forms.Form):
    """Fields allauth's sign-up form gets in addition to e-mail and password."""

    display_name = forms.CharField(
        label=_("Display name"),
        max_length=80,
        required=False,
        help_text=_("How others see you on the platform. Your e-mail address stays private."),
    )

    def signup(self, request, user: User) -> None:
        """Called by allauth once the account exists; mails from now on use this language."""
        language = translation.get_language()
        user_update_profile(
            user=user,
            display_name=self.cleaned_data.get("display_name", ""),
            language=language if language in dict(settings.LANGUAGES) else user.language,
        )


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["display_name", "language"]
