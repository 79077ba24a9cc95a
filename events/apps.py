from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_migrate
from django.utils.translation import gettext_lazy as _

from events.roles import ORGANISER_PERMISSIONS, organiser_permissions_handler

_ensure_organisers_group = organiser_permissions_handler(ORGANISER_PERMISSIONS)


def _forget_permissions(sender, *, instance, action: str, **kwargs) -> None:
    """Django caches a user's permissions on the user object; once their groups changed
    (an organiser appointed), the same object must not answer from the old ones."""
    if action.startswith("post_"):
        for name in ("_perm_cache", "_user_perm_cache", "_group_perm_cache"):
            instance.__dict__.pop(name, None)


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Events")

    def ready(self) -> None:
        from django.contrib.auth import get_user_model

        from events.models import Phase
        from hackathon.rules_cache import forget_on_change

        post_migrate.connect(
            _ensure_organisers_group, sender=self, dispatch_uid="events.organisers_group"
        )
        groups = get_user_model().groups.through
        # events.rules.is_organiser reads the groups; projects' deadline rule the phases.
        forget_on_change(groups, Phase)
        m2m_changed.connect(
            _forget_permissions, sender=groups, dispatch_uid="events.forget_permissions"
        )
