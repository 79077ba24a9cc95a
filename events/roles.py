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
)
