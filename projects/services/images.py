"""Images of a project: adding (checked and re-encoded), removing, reordering."""

from __future__ import annotations

import secrets
from datetime import datetime

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_log
from hackathon.queue import enqueue_on_commit
from projects import selectors
from projects.images import ImageRejected, process_upload
from projects.models import MAX_IMAGES, Project, ProjectImage, ProjectVersion
from projects.services._base import ProjectError, _lock, _require_editor
from projects.video import ThumbnailUnavailable, fetch_thumbnail


def _attached_count(project: Project) -> int:
    return ProjectImage.objects.filter(project=project, detached_at__isnull=True).count()


def _clean_alt_text(alt_text: str) -> str:
    alt_text = " ".join((alt_text or "").split())
    if not alt_text:
        raise ProjectError(
            _("Describe what the image shows, for people who cannot see it."), field="alt_text"
        )
    if len(alt_text) > 200:
        raise ProjectError(_("At most 200 characters, please."), field="alt_text")
    return alt_text


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
    alt_text = _clean_alt_text(alt_text)
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
def image_describe(
    *, image: ProjectImage, actor, alt_text: str, now: datetime | None = None
) -> ProjectImage:
    """Changes an image's description for people who cannot see it. Members before the
    deadline, and organisers. Side effects: the image's alt text; an audit entry."""
    now = now or timezone.now()
    project = _lock(image.project)
    _require_editor(project.team, actor, now)
    alt_text = _clean_alt_text(alt_text)
    image = ProjectImage.objects.get(pk=image.pk, project=project)
    image.alt_text = alt_text
    image.save(update_fields=["alt_text"])
    audit_log(
        actor=actor,
        action="project.image_describe",
        target=project,
        data={"image": image.pk, "alt_text": alt_text},
    )
    return image


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


# --- the pitch video's thumbnail --------------------------------------------------------------


def video_thumbnail_enqueue(project: Project) -> None:
    """Fetches the thumbnail of the project's video after the transaction commits
    (settings.VIDEO_THUMBNAILS: off in tests and the offline demo)."""
    if not settings.VIDEO_THUMBNAILS:
        return
    from projects.tasks import fetch_video_thumbnail  # tasks import the services

    enqueue_on_commit(fetch_video_thumbnail, [{"project_id": project.pk}])


def _drop_video_thumbnail(project: Project, *, url: str) -> None:
    """Drops the copy read at the start, unless the link or the copy changed meanwhile,
    and records that this link has no thumbnail (`video_thumbnail_for` = the link, no
    file), so the sweep does not fetch it again."""
    name = project.video_thumbnail.name if project.video_thumbnail else ""
    dropped = Project.objects.filter(pk=project.pk, video_url=url, video_thumbnail=name).update(
        video_thumbnail="", video_thumbnail_for=url
    )
    if dropped and name:
        project.video_thumbnail.storage.delete(name)


def video_thumbnails_refresh_stale(*, limit: int = 200) -> int:
    """Enqueues a fetch for projects whose thumbnail is not yet for their current link: the
    fetch enqueued after the change never arrived (broker down) or failed for good (the
    video site down). Returns how many. Does nothing where thumbnails are off.

    Side effects: enqueues up to `limit` fetches.
    """
    if not settings.VIDEO_THUMBNAILS:
        return 0
    from projects.tasks import fetch_video_thumbnail  # tasks import the services

    ids = list(
        Project.objects.exclude(video_url="")
        .exclude(video_thumbnail_for=F("video_url"))
        .order_by("updated_at")
        .values_list("pk", flat=True)[:limit]
    )
    with transaction.atomic():
        enqueue_on_commit(fetch_video_thumbnail, [{"project_id": pk} for pk in ids])
    return len(ids)


def project_video_thumbnail_refresh(*, project_id: int) -> bool:
    """Keeps our copy of the thumbnail of the project's pitch video in step with its link.

    Idempotent: nothing is fetched when the copy belongs to the current link. A link to
    a site we do not know, or a video without a thumbnail, leaves none (the page shows
    the team's first image instead). The fetched file is checked and re-encoded like an
    upload (projects.images), and only stored if the link is still the same afterwards.
    Raises OSError on network errors (the task retries). Returns whether a copy is stored.
    """
    project = Project.objects.filter(pk=project_id).first()
    if project is None:
        return False
    url = project.video_url
    if project.video_thumbnail and project.video_thumbnail_for == url:
        return True
    try:
        raw = fetch_thumbnail(url) if url else None
        processed = process_upload(ContentFile(raw, name="thumbnail")) if raw else None
    except (ThumbnailUnavailable, ImageRejected):
        processed = None
    if processed is None:
        _drop_video_thumbnail(project, url=url)
        return False
    previous = project.video_thumbnail.name if project.video_thumbnail else ""
    name = project.video_thumbnail.storage.save(
        f"projects/video-thumbnails/{project.pk}-{secrets.token_hex(8)}.jpg",
        ContentFile(processed.thumbnail),
    )
    # Only over the copy read at the start and for the same link: a task that lost a race
    # (the link changed, or another task stored a copy first) deletes its own file.
    stored = Project.objects.filter(pk=project.pk, video_url=url, video_thumbnail=previous).update(
        video_thumbnail=name, video_thumbnail_for=url
    )
    storage = project.video_thumbnail.storage
    if not stored:
        storage.delete(name)
        return False
    if previous:
        storage.delete(previous)
    return True
