"""Names for the inputs of the admin's tabular inlines and editable change lists.

Both show their fields' labels once, as column headers, and render the inputs without
<label>: screen readers announce "edit text, blank", and axe reports every input and
select of the event's schedule. Each widget gets its field's label as aria-label
instead ("Start: Datum", "Phase", "Löschen").
"""

from __future__ import annotations

from django import forms
from django.forms.utils import pretty_name
from django.utils.translation import gettext as _


def _label_widget(widget: forms.Widget, label: str, row: str) -> None:
    inner = getattr(widget, "widget", None)  # the admin's RelatedFieldWidgetWrapper
    if isinstance(inner, forms.Widget):
        _label_widget(inner, label, row)
        return
    if isinstance(widget, forms.MultiWidget):
        parts = (
            [_("date"), _("time")]
            if isinstance(widget, forms.SplitDateTimeWidget)
            else [str(n) for n in range(1, len(widget.widgets) + 1)]
        )
        for part, subwidget in zip(parts, widget.widgets, strict=True):
            subwidget.attrs.setdefault("aria-label", f"{label}: {part}{row}")
        return
    widget.attrs.setdefault("aria-label", f"{label}{row}")


def label_form_widgets(form: forms.BaseForm) -> None:
    """Gives every visible widget of `form` its field's label as aria-label, followed by
    the row's object where there is one ("Beginn: Datum (WirVsVirus: Hackathon)")."""
    instance = getattr(form, "instance", None)
    row = f" ({instance})" if instance is not None and instance.pk else ""
    for name, field in form.fields.items():
        if field.widget.is_hidden:
            continue
        _label_widget(field.widget, str(field.label or pretty_name(name)), row)


class LabelledInlineMixin:
    """For an InlineModelAdmin (put it first): every row's inputs carry their column's name."""

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)

        class LabelledFormSet(formset):
            def add_fields(self, form, index):
                super().add_fields(form, index)
                label_form_widgets(form)

        LabelledFormSet.__name__ = formset.__name__
        return LabelledFormSet


class LabelledChangelistMixin:
    """For a ModelAdmin with list_editable (put it first): every row's inputs are named."""

    def get_changelist_formset(self, request, **kwargs):
        formset = super().get_changelist_formset(request, **kwargs)

        class LabelledFormSet(formset):
            def add_fields(self, form, index):
                super().add_fields(form, index)
                label_form_widgets(form)

        LabelledFormSet.__name__ = formset.__name__
        return LabelledFormSet
