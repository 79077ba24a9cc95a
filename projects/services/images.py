"""Images of a project: adding (checked and re-encoded), removing, reordering."""

from __future__ import annotations

import secrets
from datetime import datetime

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_log
from projects import selectors
from projects.images import ImageRejected, process_upload
from projects.models import MAX_IMAGES, Project, ProjectImage, ProjectVersion
from projects.services._base import ProjectError, _lock, _require_editor


def _attached_count(project: Project) -> int:
    return ProjectImage.objects.filter(project=project, detached_at__isnull=True).count()


@transaction.atomic
def image_add(
    *, project: Project, actor, upload, alt_text: str, now: datetime | None = None
) -> ProjectImage:
    """Adds an image to the project: checked and re-encoded (projects.images). At most
    MAX_IMAGES; members before the deadline, and organisers.

    Side effects: two new JPEG files (image, thumbnail) named by a random token, the
    ProjectImage row at the last position, an audit entry. Nothing at all when refused.
    """
    now = now or timezone.now()
    _require_editor(project.team, actor, now)  # before the costly decoding
    alt_text = " ".join((alt_text or "").split())
    if not alt_text:
        raise ProjectError(
            _("Describe what the image shows, for people who cannot see it."), field="alt_text"
        )
    if len(alt_text) > 200:
        raise ProjectError(_("At most 200 characters, please."), field="alt_text")
    try:
        processed = process_upload(upload)
    except ImageRejected as error:
        raise ProjectError(error.message, field="image") from None
    project = _lock(project)
    _require_editor(project.team, actor, now)
    if _attached_count(project) >= MAX_IMAGES:
        raise ProjectError(
            _("A project has at most %(max)d images. Remove one first.") % {"max": MAX_IMAGES},
            field="image",
        )
    last = ProjectImage.objects.filter(project=project, detached_at__isnull=True).aggregate(
        last=Max("position")
    )["last"]
    image = ProjectImage(
        project=project,
        token=secrets.token_hex(16),
        alt_text=alt_text,
        position=0 if last is None else last + 1,
    )
    image.image.save("image.jpg", ContentFile(processed.image), save=False)
    image.thumbnail.save("thumbnail.jpg", ContentFile(processed.thumbnail), save=False)
    # Known already; set after the files, whose descriptor would otherwise reset them.
    image.width, image.height = processed.width, processed.height
    try:
        image.save()
    except Exception:
        # The files were written first; without their row nobody would ever delete them.
        # (Should an enclosing transaction roll back later, two orphan files remain.)
        for field in (image.image, image.thumbnail):
            field.storage.delete(field.name)
        raise
    audit_log(actor=actor, action="project.image_add", target=project, data={"token": image.token})
    return image


def _referenced_tokens(project: Project) -> set[str]:
    tokens = set()
    for snapshot in ProjectVersion.objects.filter(project=project).values_list(
        "snapshot", flat=True
    ):
        tokens.update(image.get("token") for image in snapshot.get("images", []))
    return tokens


@transaction.atomic
def image_remove(*, image: ProjectImage, actor, now: datetime | None = None) -> None:
    """Removes an image from the living page. Members before the deadline; organisers always.

    An image that a submitted version shows is only detached (detached_at) and its files
    stay, so the version keeps showing it; any other image is deleted with its files.
    Side effects: the row detached or deleted, files deleted on commit, an audit entry.
    """
    now = now or timezone.now()
    project = _lock(image.project)
    _require_editor(project.team, actor, now)
    image = ProjectImage.objects.filter(pk=image.pk, project=project).first()
    if image is None or image.detached_at is not None:
        raise ProjectError(_("This image was already removed."), field="image")
    if image.token in _referenced_tokens(project):
        image.detached_at = now
        image.save(update_fields=["detached_at"])
        kept = True
    else:
        names = (image.image.name, image.thumbnail.name)
        storage = image.image.storage
        image.delete()
        transaction.on_commit(lambda: [storage.delete(name) for name in names])
        kept = False
    audit_log(
        actor=actor,
        action="project.image_remove",
        target=project,
        data={"token": image.token, "kept_for_versions": kept},
    )


@transaction.atomic
def image_reorder(
    *, project: Project, actor, order: list[int], now: datetime | None = None
) -> None:
    """Puts the project's images in this order (`order`: the ids of all attached images).

    Side effects: the images' positions; an audit entry.
    """
    now = now or timezone.now()
    project = _lock(project)
    _require_editor(project.team, actor, now)
    images = {image.pk: image for image in selectors.attached_images().filter(project=project)}
    try:
        order = [int(pk) for pk in order]
    except (TypeError, ValueError):
        raise ProjectError(_("Unknown image."), field="order") from None
    if sorted(order) != sorted(images):
        raise ProjectError(_("List every image of the project exactly once."), field="order")
    for position, pk in enumerate(order):
        images[pk].position = position
    ProjectImage.objects.bulk_update(list(images.values()), ["position"])
    audit_log(actor=actor, action="project.image_reorder", target=project, data={"order": order})
