from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from events.roles import organiser_permissions_handler

# What organisers may do with projects in the admin: read everything, correct a project's
# texts, grant extensions. Versions and reminders are records: view only.
ORGANISER_PERMISSIONS = (
    "projects.view_project",
    "projects.change_project",
    "projects.view_projectimage",
    "projects.change_projectimage",
    "projects.view_projectversion",
    "projects.view_submissionextension",
    "projects.add_submissionextension",
    "projects.change_submissionextension",
    "projects.delete_submissionextension",
    "projects.view_deadlinereminder",
)

_grant_organisers = organiser_permissions_handler(ORGANISER_PERMISSIONS)


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = _("Projects")

    def ready(self) -> None:
        from hackathon.rules_cache import forget_on_change
        from projects import notification_kinds  # noqa: F401  (registers the kinds)
        from projects.models import SubmissionExtension

        post_migrate.connect(
            _grant_organisers, sender=self, dispatch_uid="projects.organisers_group"
        )
        forget_on_change(SubmissionExtension)  # projects.rules.cached_deadline reads them
