"""What every ModelAdmin that writes through the services shares.

The admin is a door to the same rooms as the site and the API: its save_model,
save_formset, delete_model and actions call the apps' services, which check the rules,
write the audit entries and send the notices. A service may still refuse what the form
let through (a limit only the service knows, or a race with another request); then the
change form is shown again, with what the organiser typed and the service's message on
its field, instead of a server error.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from hackathon.errors import DomainError

_REFUSAL = "_admin_service_refusal"


def _message(error: Exception) -> str:
    return str(getattr(error, "message", None) or error)


class ServiceAdminMixin:
    """Shows a service's refusal on the change form. `service_errors` are the errors that
    mean a refusal (every app's derives from DomainError); put the mixin first, before
    admin.ModelAdmin."""

    service_errors: tuple[type[Exception], ...] = (DomainError,)

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict | None = None,
    ) -> HttpResponse:
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except self.service_errors as error:
            # The admin's transaction rolled back everything the first pass wrote; the
            # second pass validates the same POST and fails with the service's message.
            setattr(request, _REFUSAL, error)
            try:
                return super().changeform_view(request, object_id, form_url, extra_context)
            finally:
                delattr(request, _REFUSAL)

    def changelist_view(self, request: HttpRequest, extra_context: dict | None = None):
        try:
            return super().changelist_view(request, extra_context)
        except self.service_errors as error:  # an edit in the list (list_editable)
            self.message_refusal(request, error)
            return HttpResponseRedirect(request.get_full_path())

    def delete_view(
        self, request: HttpRequest, object_id: str, extra_context: dict | None = None
    ) -> HttpResponse:
        try:
            return super().delete_view(request, object_id, extra_context)
        except self.service_errors as error:
            self.message_refusal(request, error)
            opts = self.model._meta
            return HttpResponseRedirect(
                reverse(
                    f"admin:{opts.app_label}_{opts.model_name}_change",
                    args=[object_id],
                    current_app=self.admin_site.name,
                )
            )

    def get_form(self, request: HttpRequest, obj=None, change: bool = False, **kwargs):
        # `change` by name: django.contrib.auth's UserAdmin.get_form takes it in **kwargs.
        form = super().get_form(request, obj, change=change, **kwargs)
        refusal = getattr(request, _REFUSAL, None)
        if refusal is None or request.method != "POST":
            return form

        class RefusedForm(form):
            def clean(self):
                cleaned = super().clean()
                field = getattr(refusal, "field", None)
                self.add_error(field if field in self.fields else None, _message(refusal))
                return cleaned

        RefusedForm.__name__ = form.__name__
        return RefusedForm

    def message_refusal(self, request: HttpRequest, error: Exception, *, prefix: str = "") -> None:
        """For actions and deletions: the service's refusal as an error message."""
        from django.contrib import messages

        self.message_user(request, f"{prefix}{_message(error)}", messages.ERROR)
