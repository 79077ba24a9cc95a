from __future__ import annotations

from django.core import checks
from django.template import TemplateDoesNotExist
from django.template.loader import get_template

from notifications.kinds import all_kinds


@checks.register(checks.Tags.templates)
def check_kind_templates(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """Every registered kind has its e-mail and in-app templates."""
    errors = []
    for kind in all_kinds():
        for name in kind.template_names:
            try:
                get_template(name)
            except TemplateDoesNotExist:
                errors.append(
                    checks.Error(
                        f"Notification kind {kind.key!r} has no template {name!r}.",
                        hint="Add the template or pass another name to NotificationKind.",
                        id="notifications.E001",
                    )
                )
    return errors
