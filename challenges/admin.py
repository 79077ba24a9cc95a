"""Curation in the Django admin: search, filters, counts per status, bulk actions,
likely duplicates with one-click merge, CSV import and export.

Every change goes through challenges.services (the rules, audit entries, the giver's
notifications): saving a challenge, its owners, the bulk actions, the import.
"""

from __future__ import annotations

import io

from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ERROR_FLAG
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, ngettext_lazy

from audit.services import audit_entries_for
from challenges import selectors, services
from challenges.csv_io import challenges_export_csv, challenges_import_csv
from challenges.enums import ChallengeStatus
from challenges.fields import CONTENT_FIELDS, EDITABLE_FIELDS, GIVER_FIELDS, ORGANISER_FIELDS
from challenges.forms import AssignTopicForm, ImportForm, MergeForm, RejectForm
from challenges.models import Challenge, ChallengeOwner, ChallengeQuestion, Tag, Topic
from hackathon.admin import ReadOnlyAdminMixin, ServiceAdminMixin
from hackathon.admin_a11y import LabelledInlineMixin


@admin.register(Topic)
class TopicAdmin(ServiceAdminMixin, admin.ModelAdmin):
    """Saved and deleted through the topic services (audited; the catalogue follows)."""

    service_errors = (services.ChallengeError,)
    list_display = ["name", "event", "position", "challenge_count"]
    list_filter = ["event"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    list_select_related = ["event"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(challenge_count=Count("challenges"))

    def get_readonly_fields(self, request, obj=None):
        # A topic field stays in its event: its challenges are there.
        return ["event"] if obj is not None else []

    @admin.display(description=gettext_lazy("challenges"), ordering="challenge_count")
    def challenge_count(self, topic: Topic) -> int:
        return topic.challenge_count

    def save_model(self, request, obj: Topic, form, change: bool) -> None:
        if not change:
            data = {field: form.cleaned_data[field] for field in services.TOPIC_FIELDS}
            event = form.cleaned_data["event"]
            self.continue_with(
                obj, services.topic_create(event=event, actor=request.user, data=data)
            )
        elif data := self.changed_values(form):
            services.topic_update(topic=obj, actor=request.user, data=data)

    def delete_model(self, request, obj: Topic) -> None:
        services.topic_delete(topic=obj, actor=request.user)

    def delete_queryset(self, request, queryset) -> None:
        self.write_each(request, services.topic_delete, queryset, each="topic", label=str)


@admin.register(Tag)
class TagAdmin(ServiceAdminMixin, admin.ModelAdmin):
    """Added and renamed through the tag services (audited). Not deleted here: a tag
    goes from a challenge with the challenge's edit."""

    service_errors = (services.ChallengeError,)
    search_fields = ["name"]
    fields = ["name"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj: Tag, form, change: bool) -> None:
        name = form.cleaned_data["name"]
        if not change:
            self.continue_with(obj, services.tag_create(actor=request.user, name=name))
        elif "name" in form.changed_data:
            services.tag_rename(tag=obj, actor=request.user, name=name)


class ChallengeOwnerFormSet(BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        adding = any(
            form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and (form.instance.pk is None or form.has_changed())
            for form in self.forms
        )
        if adding and self.instance.status != ChallengeStatus.PUBLISHED:
            raise ValidationError(_("Owners can only be named for published challenges."))


class ChallengeOwnerInline(LabelledInlineMixin, admin.TabularInline):
    """Saved through the owner services (see ChallengeAdmin.save_formset): audit entries
    and the new owner's notification, as anywhere else."""

    model = ChallengeOwner
    formset = ChallengeOwnerFormSet
    extra = 0
    autocomplete_fields = ["user"]
    fields = ["user", "added_at"]
    readonly_fields = ["added_at"]


@admin.register(ChallengeQuestion)
class ChallengeQuestionAdmin(ServiceAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: a question is answered by its challenge's owners on the site and hidden
    with the action (challenge_question_hide, audited); it is never deleted."""

    service_errors = (services.ChallengeError,)
    list_display = ["challenge", "short_text", "asked_by", "asked_at", "answered_at", "is_hidden"]
    list_filter = [
        "is_hidden",
        ("answered_at", admin.EmptyFieldListFilter),
        "challenge__event",
    ]
    search_fields = ["text", "answer", "=challenge__number"]
    list_select_related = ["challenge", "asked_by"]
    readonly_fields = [
        "challenge",
        "asked_by",
        "text",
        "asked_at",
        "answer",
        "answered_by",
        "answered_at",
        "is_hidden",
    ]
    actions = ["action_hide"]

    @admin.display(description=gettext_lazy("question"))
    def short_text(self, question: ChallengeQuestion) -> str:
        return question.text[:80]

    @admin.action(description=gettext_lazy("Hide selected questions"))
    def action_hide(self, request, queryset) -> None:
        # Each through the service (organisers only, an audit entry); says how many.
        self.write_each(
            request,
            services.challenge_question_hide,
            queryset.filter(is_hidden=False).select_related("challenge"),
            each="question",
            done=ngettext_lazy(
                "%(count)d question was hidden.", "%(count)d questions were hidden.", "count"
            ),
            stop_at_refusal=True,
        )


@admin.register(Challenge)
class ChallengeAdmin(ServiceAdminMixin, admin.ModelAdmin):
    service_errors = (services.ChallengeError,)
    change_list_template = "admin/challenges/challenge/change_list.html"
    change_form_template = "admin/challenges/challenge/change_form.html"
    list_display = [
        "number",
        "title",
        "status",
        "event",
        "topic",
        "giver_type",
        "organisation_name",
        "state",
        "support_count",
        "created_at",
    ]
    list_display_links = ["number", "title"]
    list_filter = ["status", "event", "topic", "giver_type", "state"]
    search_fields = ["=number", "title", "problem", "organisation_name", "external_id"]
    list_select_related = ["event", "topic"]
    list_per_page = 100
    readonly_fields = [
        "number",
        "status",
        "merged_into",
        "rejection_reason",
        "support_count",
        "submitted_by",
        "created_at",
        "updated_at",
        "submitted_at",
        "published_at",
    ]
    autocomplete_fields = ["tags"]
    inlines = [ChallengeOwnerInline]
    actions = [
        "action_start_review",
        "action_publish",
        "action_reject",
        "action_assign_topic",
        "action_merge",
        "action_export_csv",
    ]
    # The editable fields (challenges.fields) and, beside them, what says which challenge it
    # is and the curation's record, read-only but for the event of a new one.
    fieldsets = [
        (None, {"fields": ["event", "number", "status", *ORGANISER_FIELDS]}),
        (gettext_lazy("Text"), {"fields": [*CONTENT_FIELDS, "tags"]}),
        (gettext_lazy("Giver"), {"fields": [*GIVER_FIELDS, "submitted_by"]}),
        (
            gettext_lazy("Curation"),
            {
                "fields": [
                    "rejection_reason",
                    "merged_into",
                    "support_count",
                    "created_at",
                    "updated_at",
                    "submitted_at",
                    "published_at",
                ]
            },
        ),
    ]

    def get_urls(self):
        custom = [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="challenges_challenge_import",
            ),
            path(
                "export/",
                self.admin_site.admin_view(self.export_view),
                name="challenges_challenge_export",
            ),
            path(
                "<int:object_id>/merge-into/<int:target_id>/",
                self.admin_site.admin_view(self.merge_into_view),
                name="challenges_challenge_merge_into",
            ),
        ]
        return custom + super().get_urls()

    # --- list with counts per status -------------------------------------------------
    def changelist_view(self, request: HttpRequest, extra_context=None):
        counts = dict(
            Challenge.objects.values_list("status")
            .annotate(n=Count("pk"))
            .values_list("status", "n")
        )
        extra_context = {
            **(extra_context or {}),
            "status_counts": [
                (value, label, counts.get(value, 0)) for value, label in ChallengeStatus.choices
            ],
            "total_count": sum(counts.values()),
        }
        return super().changelist_view(request, extra_context=extra_context)

    def has_delete_permission(self, request, obj=None) -> bool:
        # Curation rejects or merges a challenge (audited, the giver told); teams refer to it.
        return False

    def get_readonly_fields(self, request, obj=None):
        # A challenge stays in its event: its teams and projects are there.
        return [*self.readonly_fields, "event"] if obj is not None else self.readonly_fields

    def save_model(self, request, obj: Challenge, form, change: bool) -> None:
        """A challenge an organiser enters by hand starts as submitted, with its number."""
        fields = EDITABLE_FIELDS + ORGANISER_FIELDS
        tags = [tag.name for tag in form.cleaned_data.get("tags", [])]
        if not change:
            data = {field: form.cleaned_data[field] for field in fields if field in form.fields}
            challenge = services.challenge_enter(
                event=form.cleaned_data["event"], actor=request.user, data=data, tags=tags
            )
            obj.number, obj.status = challenge.number, challenge.status
            self.continue_with(obj, challenge)
            return
        changed = [field for field in form.changed_data if field in fields]
        if changed or "tags" in form.changed_data:
            services.challenge_update(
                challenge=obj,
                actor=request.user,
                data={field: form.cleaned_data[field] for field in changed},
                tags=tags if "tags" in form.changed_data else None,
            )

    def save_related(self, request, form, formsets, change: bool) -> None:
        # The tags were set by the service; form.save_m2m() would set them again.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def save_formset(self, request, form, formset, change: bool) -> None:
        if formset.model is not ChallengeOwner:
            super().save_formset(request, form, formset, change)
            return
        challenge = form.instance
        previous_users = {
            ownership.pk: ownership.user
            for ownership in ChallengeOwner.objects.filter(challenge=challenge).select_related(
                "user"
            )
        }
        formset.save(commit=False)
        for ownership in formset.deleted_objects:
            services.challenge_owner_remove(
                challenge=challenge, user=previous_users[ownership.pk], actor=request.user
            )
        for ownership, _fields in formset.changed_objects:
            services.challenge_owner_remove(
                challenge=challenge, user=previous_users[ownership.pk], actor=request.user
            )
            services.challenge_owner_add(
                challenge=challenge, user=ownership.user, actor=request.user
            )
        for ownership in formset.new_objects:
            services.challenge_owner_add(
                challenge=challenge, user=ownership.user, actor=request.user
            )

    def change_view(self, request: HttpRequest, object_id, form_url="", extra_context=None):
        challenge = self.get_object(request, object_id)
        extra_context = extra_context or {}
        if challenge is not None:
            extra_context["similar_challenges"] = selectors.challenges_similar(challenge=challenge)
            extra_context["audit_entries"] = audit_entries_for(target=challenge)[:50]
        return super().change_view(request, object_id, form_url, extra_context=extra_context)

    # --- bulk actions ------------------------------------------------------------------
    def _run(self, request, queryset, service, success, **kwargs) -> None:
        """Runs `service` on each challenge; `success` is an ngettext_lazy keyed by "count"."""
        done, failed = 0, []
        for challenge in queryset:
            try:
                service(challenge=challenge, actor=request.user, **kwargs)
                done += 1
            except services.ChallengeError as error:
                failed.append(f"{challenge.public_number}: {error.message}")
        if done:
            self.message_user(request, success % {"count": done}, messages.SUCCESS)
        for failure in failed:
            self.message_user(request, failure, messages.WARNING)

    @admin.action(description=gettext_lazy("Start review of selected challenges"))
    def action_start_review(self, request, queryset):
        self._run(
            request,
            queryset,
            services.challenge_start_review,
            ngettext_lazy(
                "%(count)d challenge is now in review.",
                "%(count)d challenges are now in review.",
                "count",
            ),
        )

    @admin.action(description=gettext_lazy("Publish selected challenges"))
    def action_publish(self, request, queryset):
        self._run(
            request,
            queryset,
            services.challenge_publish,
            ngettext_lazy(
                "%(count)d challenge published.", "%(count)d challenges published.", "count"
            ),
        )

    @admin.action(description=gettext_lazy("Reject selected challenges (with a reason)"))
    def action_reject(self, request, queryset):
        form = RejectForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            self._run(
                request,
                queryset,
                services.challenge_reject,
                ngettext_lazy(
                    "%(count)d challenge rejected.", "%(count)d challenges rejected.", "count"
                ),
                reason=form.cleaned_data["reason"],
            )
            return None
        return self._intermediate(request, queryset, form, "action_reject", _("Reject challenges"))

    @admin.action(description=gettext_lazy("Assign a topic field to selected challenges"))
    def action_assign_topic(self, request, queryset):
        events = {c.event_id for c in queryset}
        form = AssignTopicForm(
            request.POST if "apply" in request.POST else None, events=list(events)
        )
        if form.is_valid():
            try:
                count = services.challenges_assign_topic(
                    challenges=queryset, topic=form.cleaned_data["topic"], actor=request.user
                )
                self.message_user(
                    request,
                    ngettext(
                        "Topic field set for %(count)d challenge.",
                        "Topic field set for %(count)d challenges.",
                        count,
                    )
                    % {"count": count},
                )
            except services.ChallengeError as error:
                self.message_user(request, error.message, messages.ERROR)
            return None
        return self._intermediate(
            request, queryset, form, "action_assign_topic", _("Assign a topic field")
        )

    @admin.action(description=gettext_lazy("Merge selected challenges into one"))
    def action_merge(self, request, queryset):
        candidates = list(queryset)
        form = MergeForm(request.POST if "apply" in request.POST else None, candidates=candidates)
        if form.is_valid():
            into = form.cleaned_data["into"]
            try:
                services.challenges_merge(challenges=candidates, into=into, actor=request.user)
                self.message_user(
                    request,
                    ngettext(
                        "%(count)d challenge merged into %(number)s.",
                        "%(count)d challenges merged into %(number)s.",
                        len(candidates) - 1,
                    )
                    % {"count": len(candidates) - 1, "number": into.public_number},
                )
            except services.ChallengeError as error:
                self.message_user(request, error.message, messages.ERROR)
            return None
        return self._intermediate(request, queryset, form, "action_merge", _("Merge challenges"))

    @admin.action(description=gettext_lazy("Export selected challenges as CSV"))
    def action_export_csv(self, request, queryset):
        return self._csv_response(queryset)

    def _intermediate(self, request, queryset, form, action: str, title: str):
        return render(
            request,
            "admin/challenges/challenge/action_form.html",
            {
                **self.admin_site.each_context(request),
                "title": title,
                "form": form,
                "queryset": queryset,
                "action": action,
                "opts": self.model._meta,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )

    # --- duplicates, import and export ----------------------------------------------
    def merge_into_view(self, request: HttpRequest, object_id: int, target_id: int):
        """One-step merge from the "likely duplicates" box of the change form."""
        if request.method != "POST" or not self.has_change_permission(request):
            return HttpResponseRedirect(
                reverse("admin:challenges_challenge_change", args=[object_id])
            )
        source = get_object_or_404(Challenge, pk=object_id)
        target = get_object_or_404(Challenge, pk=target_id)
        try:
            services.challenges_merge(challenges=[source], into=target, actor=request.user)
            self.message_user(
                request,
                _("%(source)s merged into %(target)s.")
                % {"source": source.public_number, "target": target.public_number},
            )
            return HttpResponseRedirect(
                reverse("admin:challenges_challenge_change", args=[target.pk])
            )
        except services.ChallengeError as error:
            self.message_user(request, error.message, messages.ERROR)
            return HttpResponseRedirect(
                reverse("admin:challenges_challenge_change", args=[object_id])
            )

    def export_view(self, request: HttpRequest) -> HttpResponse:
        """CSV of the change list as currently filtered and searched."""
        if not self.has_view_permission(request):
            return HttpResponseRedirect(reverse("admin:index"))
        try:
            changelist = self.get_changelist_instance(request)
        except IncorrectLookupParameters:
            return HttpResponseRedirect(
                reverse("admin:challenges_challenge_changelist") + "?" + ERROR_FLAG + "=1"
            )
        return self._csv_response(changelist.get_queryset(request))

    def _csv_response(self, queryset) -> HttpResponse:
        buffer = io.StringIO()
        challenges_export_csv(
            queryset.select_related("topic", "merged_into").prefetch_related("tags"), buffer
        )
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        response["Content-Disposition"] = f'attachment; filename="challenges-{stamp}.csv"'
        return response

    def import_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_add_permission(request):
            return HttpResponseRedirect(reverse("admin:index"))
        form = ImportForm(request.POST or None, request.FILES or None)
        result = None
        if request.method == "POST" and form.is_valid():
            result = challenges_import_csv(
                event=form.cleaned_data["event"],
                raw=form.cleaned_data["file"].read(),
                actor=request.user,
            )
            if result.ok:
                self.message_user(
                    request,
                    _("Import done: %(created)d created, %(updated)d updated.")
                    % {"created": result.created, "updated": result.updated},
                )
                return HttpResponseRedirect(reverse("admin:challenges_challenge_changelist"))
        return render(
            request,
            "admin/challenges/challenge/import.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Import challenges from CSV"),
                "form": form,
                "result": result,
                "opts": self.model._meta,
            },
        )
