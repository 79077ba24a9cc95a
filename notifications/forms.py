from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from notifications.kinds import NotificationKind, all_kinds


def field_name(kind: NotificationKind) -> str:
    # Dots in a field name would make awkward HTML ids.
    return "email-" + kind.key.replace(".", "-")


class NotificationPreferencesForm(forms.Form):
    """One checkbox per registered kind: e-mail on or off. Security kinds are fixed on."""

    def __init__(self, *args, preferences: dict[str, bool], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.kinds = all_kinds()
        for kind in self.kinds:
            help_text = kind.description
            if kind.security:
                help_text = _(
                    "%(description)s Always sent by e-mail, so you notice if someone "
                    "else uses your account."
                ) % {"description": kind.description}
            self.fields[field_name(kind)] = forms.BooleanField(
                label=kind.label,
                required=False,
                initial=preferences.get(kind.key, kind.email_default),
                # A disabled field ignores what is posted, so a security kind stays on.
                disabled=kind.security,
                help_text=help_text,
            )

    def email_enabled(self) -> dict[str, bool]:
        """The choices for notification_preferences_update (security kinds left out)."""
        return {
            kind.key: self.cleaned_data[field_name(kind)]
            for kind in self.kinds
            if not kind.security
        }
