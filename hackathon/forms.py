"""A form renderer that writes the commonest widgets in Python.

Django renders every form field, label and select option through a template of its own:
the team finder's filter form, with its lists of topic fields, skills and languages,
cost 20 ms of CPU per request that way. `FAST_RENDERER` writes the same HTML for the
form as a whole (`as_div`), its fields (but groups of checkboxes), inputs, selects with
their options, labels and empty error lists directly, and leaves every other template
(and a select with options of another template) to Django's templates.
tests/hackathon/test_forms.py checks that both give the same HTML.

Use it on forms rendered on hot pages: `default_renderer = FAST_RENDERER`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeData

_WIDGETS = "django/forms/widgets/"


def _value(value: Any) -> str:
    """`{{ value|stringformat:'s' }}` with autoescaping: safe strings stay as they are."""
    if isinstance(value, SafeData):
        return str(value)
    return escape("%s" % (value,))  # noqa: UP031  (what stringformat does, tuples too)


def _attrs(attrs: Mapping[str, Any] | None) -> str:
    """django/forms/attrs.html and widgets/attrs.html."""
    if not attrs:
        return ""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            parts.append(f" {conditional_escape(name)}")
        else:
            parts.append(f' {conditional_escape(name)}="{_value(value)}"')
    return "".join(parts)


def _input(context: Mapping[str, Any]) -> str:
    widget = context["widget"]
    value = "" if widget["value"] is None else f' value="{_value(widget["value"])}"'
    return (
        f'<input type="{conditional_escape(widget["type"])}" '
        f'name="{conditional_escape(widget["name"])}"{value}{_attrs(widget["attrs"])}>'
    )


def _select(context: Mapping[str, Any]) -> str | None:
    widget = context["widget"]
    parts = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        for option in options:
            if option["template_name"] != _WIDGETS + "select_option.html":
                return None
            parts.append(
                f'\n  <option value="{_value(option["value"])}"{_attrs(option["attrs"])}>'
                f"{conditional_escape(option['label'])}</option>\n"  # the template's own
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def _label(context: Mapping[str, Any]) -> str:
    label = conditional_escape(context["label"])
    if not context["use_tag"]:
        return str(label)
    tag = conditional_escape(context["tag"])
    return f"<{tag}{_attrs(context['attrs'])}>{label}</{tag}>"


def _errors(context: Mapping[str, Any]) -> str | None:
    return "" if not context["errors"] else None


def _field(context: Mapping[str, Any]) -> str | None:
    """django/forms/field.html, for fields that are not a fieldset (checkbox groups)."""
    field = context["field"]
    if field.use_fieldset:
        return None
    label = str(field.label_tag()) if field.label else ""
    help_text = ""
    if field.help_text:
        id_ = f' id="{conditional_escape(field.auto_id)}_helptext"' if field.auto_id else ""
        help_text = f'<div class="helptext"{id_}>{field.help_text}</div>'
    return f"\n  {label}\n\n{help_text}\n{field.errors}\n{field}\n".strip()


def _div(context: Mapping[str, Any]) -> str:
    """django/forms/div.html, the whole form."""
    errors, fields = context["errors"], context["fields"]
    hidden = "".join(str(field) for field in context["hidden_fields"])
    parts = [f"{errors}\n"]
    if errors and not fields:
        parts.append(f"\n  <div>{hidden}</div>\n")
    parts.append("\n")
    for position, (field, _errors) in enumerate(fields, start=1):
        classes = field.css_classes()
        classes = f' class="{conditional_escape(classes)}"' if classes else ""
        parts.append(f"\n  <div{classes}>\n    {field.as_field_group()}\n    ")
        if position == len(fields):
            parts.append(f"\n      {hidden}\n    ")
        parts.append("\n</div>\n")
    parts.append("\n")
    if not fields and not errors:
        parts.append(f"\n  {hidden}\n")
    parts.append("\n")
    return "".join(parts).strip()


_FAST: dict[str, Callable[[Mapping[str, Any]], str | None]] = {
    **{
        f"{_WIDGETS}{name}.html": _input
        for name in ("input", "text", "number", "email", "url", "search", "hidden", "checkbox")
    },
    f"{_WIDGETS}select.html": _select,
    "django/forms/label.html": _label,
    "django/forms/errors/list/default.html": _errors,
    "django/forms/errors/list/ul.html": _errors,
    "django/forms/field.html": _field,
    "django/forms/div.html": _div,
}


class FastFormRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        fast = _FAST.get(template_name)
        if fast is not None:
            html = fast(context)
            if html is not None:
                return html
        return super().render(template_name, context, request=request)


# One instance: each renderer builds its own template engine.
FAST_RENDERER = FastFormRenderer()
