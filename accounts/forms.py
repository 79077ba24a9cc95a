from django import forms
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from accounts.models import User


class SignupExtraForm(forms.Form):
    """Fields allauth's sign-up form gets in addition to e-mail and password."""

    display_name = forms.CharField(
        label=_("Display name"),
        max_length=80,
        required=False,
        help_text=_("How others see you on the platform. Your e-mail address stays private."),
    )

    def signup(self, request, user: User) -> None:
        user.display_name = self.cleaned_data.get("display_name", "")
        user.language = translation.get_language() or user.language
        user.save(update_fields=["display_name", "language"])


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["display_name", "language"]
