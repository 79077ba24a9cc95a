"""Every write to projects: the team's draft, submitting, withdrawing, images, extensions.

Rules the services hold, also when requests race:
- one project per team: the OneToOne `Project.team`; a lost race to create it returns
  the project the other request created;
- the deadline: team members change, submit and withdraw only while `now < deadline`
  (at the deadline itself, to the second, it is over), where the deadline is the later
  of the event's submission phase end and the team's extension (selectors.deadline_for_team).
  `now` is taken when the request arrives (or passed in, for tests and the benchmark)
  and compared after the project row is locked, so a refused request changes nothing
  at all. Organisers may edit the living page at any time; submitting and withdrawing
  end at the deadline for them too (they extend a team's deadline instead);
- at most MAX_IMAGES attached images: counted under the project row lock;
- versions are numbered under the same lock; each is a frozen JSON copy of what was
  submitted, including its image files, which are therefore never deleted.

Each service checks permission and state first and raises ProjectError with a message a
person can read (and the form field it is about); views and the API turn it into a form
error or a 4xx. Every change writes an audit entry; notifications go out on commit.
"""

from projects.fields import RELATION_FIELDS, TEXT_FIELDS
from projects.services._base import MAX_TAGS, ProjectError
from projects.services.drafts import (
    project_create,
    project_create_or_get,
    project_submit,
    project_update,
    project_withdraw,
)
from projects.services.extensions import extension_grant, extension_revoke
from projects.services.images import (
    image_add,
    image_describe,
    image_remove,
    image_reorder,
    project_video_thumbnail_refresh,
    video_thumbnail_enqueue,
    video_thumbnails_refresh_stale,
)
from projects.services.reminders import deadline_reminder_send, deadline_reminders_send

__all__ = [
    "MAX_TAGS",
    "RELATION_FIELDS",
    "TEXT_FIELDS",
    "ProjectError",
    "deadline_reminder_send",
    "deadline_reminders_send",
    "extension_grant",
    "extension_revoke",
    "image_add",
    "image_describe",
    "image_remove",
    "image_reorder",
    "project_create",
    "project_create_or_get",
    "project_submit",
    "project_update",
    "project_video_thumbnail_refresh",
    "project_withdraw",
    "video_thumbnail_enqueue",
    "video_thumbnails_refresh_stale",
]
