"""What our ModelAdmins share: ReadOnlyAdminMixin for those nobody writes in, and
ServiceAdminMixin for those that write through the services.

The admin is a door to the same rooms as the site and the API: its save_model,
save_formset, delete_model and actions call the apps' services, which check the rules,
write the audit entries and send the notices. A service may still refuse what the form
let through (a limit only the service knows, or a race with another request); then the
change form is shown again, with what the organiser typed and the service's message on
its field, instead of a server error.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from hackathon.errors import DomainError

_REFUSAL = "_admin_service_refusal"


def _message(error: Exception) -> str:
    return str(getattr(error, "message", None) or error)


class ReadOnlyAdminMixin:
    """Nobody adds, changes or deletes here, not even a superuser: the rows are written by
    the services elsewhere (on the site, by the workers). Actions may still write, through
    the services. Put the mixin before admin.ModelAdmin."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


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

    @staticmethod
    def changed_values(form) -> dict:
        """What the form changed, by field name: the `data` an update service takes."""
        return {field: form.cleaned_data[field] for field in form.changed_data}

    @staticmethod
    def continue_with(obj, created) -> None:
        """After a create service in save_model: the admin goes on with its own object (the
        inlines, the history, the redirect) as the row the service created."""
        obj.pk = created.pk
        obj._state.adding = False

    def message_refusal(self, request: HttpRequest, error: Exception, *, prefix: str = "") -> None:
        """For actions and deletions: the service's refusal as an error message."""
        self.message_user(request, f"{prefix}{_message(error)}", messages.ERROR)

    def write_each(
        self,
        request: HttpRequest,
        service: Callable[..., object],
        objects: Iterable,
        *,
        each: str,
        done=None,
        label: Callable[[object], object] | None = None,
        stop_at_refusal: bool = False,
        level: int = messages.INFO,
        level_if_none: int | None = None,
        **service_kwargs,
    ) -> int:
        """For an action or delete_queryset: calls `service(<each>=obj, actor=request.user,
        **service_kwargs)` on each object and returns how many it wrote. A refusal
        (`service_errors`) becomes an error message, after "`label(obj)`: " when a label is
        given; the rest are still written unless `stop_at_refusal`. `done`, an
        ngettext_lazy keyed by "count", then says how many (at `level`, or at
        `level_if_none` when none), except after a stop."""
        count = 0
        for obj in objects:
            try:
                service(**{each: obj}, actor=request.user, **service_kwargs)
            except self.service_errors as error:
                self.message_refusal(request, error, prefix=f"{label(obj)}: " if label else "")
                if stop_at_refusal:
                    return count
                continue
            count += 1
        if done is not None:
            if not count and level_if_none is not None:
                level = level_if_none
            self.message_user(request, done % {"count": count}, level)
        return count
