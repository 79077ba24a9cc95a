"""Who runs an event: the organisers' group and what it may do.

Membership in the group is the organiser role. Other apps give organisers their
own permissions with `events.services.organisers_group_grant` from their
`post_migrate` handler, so the group is complete after every `migrate`.
"""

ORGANISERS_GROUP = "Organisers"

# "app_label.codename" of the permissions every organiser has.
ORGANISER_PERMISSIONS: tuple[str, ...] = (
    "events.add_event",
    "events.change_event",
    "events.delete_event",
    "events.view_event",
    "events.add_phase",
    "events.change_phase",
    "events.delete_phase",
    "events.view_phase",
    "notifications.view_notification",
    # Sending an e-mail again from the admin (the only change the admin offers).
    "notifications.change_notification",
)


def organiser_permissions_handler(permissions: tuple[str, ...]):
    """A post_migrate receiver that gives the organisers' group these permissions.

    Each app connects one from its AppConfig.ready, so the group is complete after every
    `migrate`. It does nothing while an app the permissions belong to is not migrated
    (e.g. `migrate auth zero`); `flush` sends post_migrate without `apps`, hence the default.
    """
    app_labels = {"auth"} | {permission.split(".", 1)[0] for permission in permissions}

    def grant(sender, *, using: str, apps=None, **kwargs) -> None:
        from django.apps import apps as global_apps

        registry = apps or global_apps
        try:
            for label in app_labels:
                if not list(registry.get_app_config(label).get_models()):
                    return
        except LookupError:
            return
        from events.services import organisers_group_grant

        organisers_group_grant(permissions=permissions, using=using)

    return grant
