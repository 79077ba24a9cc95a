"""Judging in the Django admin: organisers set up rounds and their criteria through
judging.services (the organiser check, the validation, the audit entries); jurors,
assignments, reviews and scores are records here, read-only.
"""

from django import forms
from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hackathon.admin import ReadOnlyAdminMixin, ServiceAdminMixin
from judging import services
from judging.enums import RoundStatus
from judging.errors import JudgingError
from judging.models import (
    Assignment,
    AssignmentRun,
    Criterion,
    JudgingRound,
    Juror,
    JurorInvitation,
    JurorNotice,
    PublicVote,
    Review,
    Score,
    ShortlistEntry,
    TeamOutcomeNotice,
)
from judging.organiser_forms import BOUNDS
from judging.services.rounds import CHANGEABLE_WHILE_CLOSED, FIXED_ONCE_OPEN


class _BoundedFieldsMixin:
    """The services' bounds on the admin's number fields (a value past a small integer
    column would otherwise reach PostgreSQL and come back as a 500)."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        return super().formfield_for_dbfield(
            db_field, request, **{**kwargs, **BOUNDS.get(db_field.name, {})}
        )


class CriterionInline(_BoundedFieldsMixin, admin.TabularInline):
    model = Criterion
    fields = ["name", "guidance", "scale_min", "scale_max", "weight", "position"]
    extra = 0

    def _round_is_draft(self, obj) -> bool:
        return obj is None or obj.status == RoundStatus.DRAFT

    # Criteria change only while the round is a draft (the services say so too); a new
    # round gets the default criteria from round_create, so none are typed on the add form.
    def has_add_permission(self, request, obj=None) -> bool:
        return (
            obj is not None
            and self._round_is_draft(obj)
            and super().has_add_permission(request, obj)
        )

    def has_change_permission(self, request, obj=None) -> bool:
        return self._round_is_draft(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return self._round_is_draft(obj) and super().has_delete_permission(request, obj)


TIME_FIELDS = ("opens_at", "closes_at")


class JudgingRoundForm(forms.ModelForm):
    """Shows and takes the opening and closing times on the event's clock, as the
    organisers' pages do (the admin's own clock is the site's time zone)."""

    class Meta:
        model = JudgingRound
        fields = ["event", *services.ROUND_FIELDS]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in TIME_FIELDS:
            if field in self.fields:
                self.fields[field].help_text = _("Date and time in the time zone of the event.")
        if self.instance.pk is not None:
            for field in TIME_FIELDS:
                value = getattr(self.instance, field)
                if value is not None:
                    self.initial[field] = timezone.make_naive(value, self.instance.event.tzinfo)


def _wall_clock(fields: dict) -> dict:
    """The form read the times on the site's clock; the services read the same digits on
    the event's (judging.services: a time without a time zone is the event's)."""
    return {
        field: timezone.make_naive(value) if field in TIME_FIELDS and value is not None else value
        for field, value in fields.items()
    }


@admin.register(JudgingRound)
class JudgingRoundAdmin(ServiceAdminMixin, _BoundedFieldsMixin, admin.ModelAdmin):
    service_errors = (JudgingError,)
    form = JudgingRoundForm
    inlines = [CriterionInline]
    list_display = ["name", "event", "position", "entry", "status", "opens_at", "closes_at"]
    list_filter = ["event", "status"]
    search_fields = ["name", "event__name"]
    list_select_related = ["event"]
    fields = [
        "event",
        "name",
        "position",
        "entry",
        "topic",
        "reviews_per_project",
        "opens_at",
        "closes_at",
        "jurors_see_others_after_submitting",
        "public_vote",
        "status",
    ]
    readonly_fields = ["position", "status"]
    actions = None

    def get_readonly_fields(self, request, obj=None):
        # The event of a round is chosen once; what round_update refuses to change at the
        # round's stage is shown, not offered (the service refuses it all the same).
        if obj is None:
            return self.readonly_fields
        fixed = ["event"]
        if obj.status == RoundStatus.CLOSED:
            fixed += [f for f in services.ROUND_FIELDS if f not in CHANGEABLE_WHILE_CLOSED]
        elif obj.status == RoundStatus.PUBLISHED:
            fixed += services.ROUND_FIELDS
        elif obj.status == RoundStatus.OPEN:
            fixed += [*FIXED_ONCE_OPEN, "public_vote"]
        return [*self.readonly_fields, *fixed]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # a round keeps its reviews and audit trail

    def save_model(self, request, obj, form, change) -> None:
        if change:
            data = _wall_clock(self.changed_values(form))
            if data:
                services.round_update(round=obj, actor=request.user, data=data)
            return
        fields = _wall_clock({field: form.cleaned_data[field] for field in services.ROUND_FIELDS})
        created = services.round_create(
            event=form.cleaned_data["event"], actor=request.user, **fields
        )
        obj.position = created.position
        self.continue_with(obj, created)

    def save_formset(self, request, form, formset, change) -> None:
        formset.save(commit=False)  # what changed, for the admin's history; saves nothing
        for criterion in formset.deleted_objects:
            services.criterion_remove(criterion=criterion, actor=request.user)
        for criterion, fields in formset.changed_objects:
            services.criterion_update(
                criterion=criterion,
                actor=request.user,
                data={field: getattr(criterion, field) for field in fields},
            )
        for criterion in formset.new_objects:
            services.criterion_add(
                round=form.instance,
                actor=request.user,
                **{field: getattr(criterion, field) for field in CriterionInline.fields},
            )


@admin.register(Juror)
class JurorAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["user", "round", "created_at"]
    list_filter = ["round__event", "round"]
    search_fields = ["user__display_name", "user__email"]
    list_select_related = ["user", "round"]
    fields = ["round", "user", "expertise", "conflict_teams", "conflict_organisations"]
    readonly_fields = fields


@admin.register(Assignment)
class AssignmentAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["juror", "project", "round", "version", "created_at"]
    list_filter = ["round__event", "round"]
    search_fields = ["project__title", "juror__user__display_name"]
    list_select_related = ["juror__user", "project", "round", "version"]


class ScoreInline(admin.TabularInline):
    model = Score
    fields = ["criterion", "value"]
    readonly_fields = fields
    extra = 0

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Review)
class ReviewAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    inlines = [ScoreInline]
    list_display = ["assignment", "status", "submitted_at", "updated_at"]
    list_filter = ["status", "assignment__round__event"]
    list_select_related = ["assignment__juror__user", "assignment__project"]


@admin.register(AssignmentRun)
class AssignmentRunAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Runs are started on the organisers' judging page (judging.services.runs)."""

    list_display = ["round", "status", "progress", "trigger", "requested_by", "created_at"]
    list_filter = ["status", "round__event"]
    list_select_related = ["round", "requested_by"]


@admin.register(JurorInvitation)
class JurorInvitationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["email", "round", "invited_by", "created_at", "accepted_at"]
    list_filter = ["round__event", "round"]
    search_fields = ["email"]
    list_select_related = ["round", "invited_by"]


@admin.register(JurorNotice)
class JurorNoticeAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["juror", "kind", "sent_at"]
    list_filter = ["kind", "juror__round__event"]
    list_select_related = ["juror__user"]


@admin.register(ShortlistEntry)
class ShortlistEntryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["project", "round", "added_by", "created_at"]
    list_filter = ["round__event", "round"]
    list_select_related = ["project", "round", "added_by"]


@admin.register(TeamOutcomeNotice)
class TeamOutcomeNoticeAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["team", "round", "sent_at", "created_at"]
    list_filter = ["round__event", "round"]
    list_select_related = ["team", "round"]


@admin.register(PublicVote)
class PublicVoteAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["project", "round", "created_at"]
    list_filter = ["round__event", "round"]
    list_select_related = ["project", "round"]
