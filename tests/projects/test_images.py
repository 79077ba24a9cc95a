"""Project images: checked, re-encoded without metadata, at most five, kept for versions."""

from __future__ import annotations

import io
import os

import pytest
from django.conf import settings
from PIL import Image

from projects import selectors, services
from projects.images import MAX_UPLOAD_BYTES
from projects.models import MAX_IMAGES, ProjectImage
from tests.projects.conftest import BEFORE, DEADLINE, image_bytes, make_project, upload
from tests.races import race

pytestmark = pytest.mark.usefixtures("deadline")


def stored_files() -> list[str]:
    root = settings.MEDIA_ROOT
    return sorted(
        os.path.relpath(os.path.join(folder, name), root)
        for folder, _dirs, names in os.walk(root)
        for name in names
    )


def add(project, actor, content=None, *, alt_text="Die Karte", now=BEFORE, **upload_kwargs):
    return services.image_add(
        project=project,
        actor=actor,
        upload=upload(content if content is not None else image_bytes(), **upload_kwargs),
        alt_text=alt_text,
        now=now,
    )


def jpeg_with_exif(size=(300, 100), orientation=6) -> bytes:
    image = Image.new("RGB", size, (10, 120, 200))
    exif = Image.Exif()
    exif[0x0112] = orientation  # Orientation: rotate 90° clockwise to display
    exif[0x010F] = "Spy Camera Inc."  # Make
    exif[0x8825] = {2: (52.0, 31.0, 12.0)}  # GPS latitude
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif, comment=b"secret comment")
    return buffer.getvalue()


@pytest.fixture
def project(team, founder, challenge):
    return make_project(team, founder, challenge)


def opened(field) -> Image.Image:
    field.open("rb")
    try:
        image = Image.open(io.BytesIO(field.read()))
        image.load()
        return image
    finally:
        field.close()


# --- accepted files --------------------------------------------------------------------------


def test_image_add_reencodes_a_jpeg_upright_without_metadata(project, founder):
    original = jpeg_with_exif()
    assert Image.open(io.BytesIO(original)).getexif()[0x010F] == "Spy Camera Inc."

    image = add(project, founder, original)

    stored = opened(image.image)
    assert stored.format == "JPEG"
    assert stored.size == (100, 300)  # turned upright by the orientation tag
    assert (image.width, image.height) == (100, 300)
    assert len(stored.getexif()) == 0
    assert "exif" not in stored.info and "comment" not in stored.info
    with image.image.open("rb") as stored_file:
        assert b"Spy Camera" not in stored_file.read()
    thumbnail = opened(image.thumbnail)
    assert max(thumbnail.size) <= 480
    assert image.image.name == f"projects/{project.pk}/{image.token}.jpg"
    assert image.thumbnail.name == f"projects/{project.pk}/{image.token}-thumb.jpg"
    assert len(image.token) == 32


@pytest.mark.parametrize(
    ("fmt", "mode_color", "name", "content_type"),
    [
        ("PNG", (0, 0, 0, 0), "logo.png", "image/png"),
        ("WEBP", (20, 200, 20), "shot.webp", "image/webp"),
        ("GIF", (20, 20, 200), "anim.gif", "image/gif"),
    ],
)
def test_image_add_accepts_png_webp_gif_as_jpeg(
    project, founder, fmt, mode_color, name, content_type
):
    image = add(
        project, founder, image_bytes(fmt, color=mode_color), name=name, content_type=content_type
    )

    stored = opened(image.image)
    assert stored.format == "JPEG"
    assert stored.mode == "RGB"


def test_image_add_puts_transparency_on_white(project, founder):
    image = add(project, founder, image_bytes("PNG", color=(0, 0, 0, 0)), name="x.png")

    assert opened(image.image).getpixel((5, 5)) == (255, 255, 255)


def test_image_add_takes_the_first_frame_of_an_animated_gif(project, founder):
    frames = [Image.new("RGB", (60, 40), colour) for colour in ((250, 0, 0), (0, 0, 250))]
    buffer = io.BytesIO()
    frames[0].save(buffer, format="GIF", save_all=True, append_images=frames[1:], duration=100)

    image = add(project, founder, buffer.getvalue(), name="anim.gif")

    red, _green, blue = opened(image.image).getpixel((30, 20))
    assert red > 200 and blue < 50


def test_image_add_scales_down_huge_photos(project, founder):
    image = add(project, founder, image_bytes(size=(4000, 1000)))

    assert (image.width, image.height) == (2400, 600)


def test_image_add_positions_new_images_last(project, founder):
    first = add(project, founder)
    second = add(project, founder)

    assert (first.position, second.position) == (0, 1)


# --- refused files: a message, and nothing saved ---------------------------------------------------


def _assert_nothing_saved(project):
    assert not ProjectImage.objects.filter(project=project).exists()
    assert stored_files() == []


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"Hello, I am a text file.", "notes.jpg", "not an image"),
        (b"%PDF-1.4\n1 0 obj <<>> endobj\n", "slides.pdf", "not an image"),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "logo.svg",
            "not an image",
        ),
        (b"", "empty.jpg", "empty"),
    ],
)
def test_image_add_refuses_files_that_are_not_images(project, founder, content, name, message):
    with pytest.raises(services.ProjectError, match=message) as error:
        add(project, founder, content, name=name)
    assert error.value.field == "image"
    _assert_nothing_saved(project)


def test_image_add_refuses_other_image_formats(project, founder):
    with pytest.raises(services.ProjectError, match="JPEG, PNG, WebP or GIF"):
        add(project, founder, image_bytes("BMP"), name="old.bmp")
    _assert_nothing_saved(project)


def test_image_add_refuses_a_damaged_image(project, founder):
    truncated = image_bytes(size=(800, 600))[:2000]

    with pytest.raises(services.ProjectError, match="could not be read"):
        add(project, founder, truncated)
    _assert_nothing_saved(project)


def test_image_add_refuses_files_that_are_too_large(project, founder):
    too_large = image_bytes() + b"\0" * (MAX_UPLOAD_BYTES + 1)

    with pytest.raises(services.ProjectError, match="too large") as error:
        add(project, founder, too_large)
    assert "8 MB" in error.value.message
    _assert_nothing_saved(project)


def test_image_add_refuses_too_many_pixels(project, founder):
    # 9000 × 9000 black and white pixels: a small file that unpacks to 81 megapixels.
    buffer = io.BytesIO()
    Image.new("1", (9000, 9000)).save(buffer, format="PNG")
    assert len(buffer.getvalue()) < 1024 * 1024

    with pytest.raises(services.ProjectError, match="too many pixels"):
        add(project, founder, buffer.getvalue(), name="bomb.png")
    _assert_nothing_saved(project)


def test_image_add_refuses_what_pillow_calls_a_decompression_bomb(project, founder, monkeypatch):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)  # Pillow's own limit, lowered

    with pytest.raises(services.ProjectError, match="too many pixels"):
        add(project, founder, image_bytes(size=(200, 200)))
    _assert_nothing_saved(project)


def test_image_add_refuses_a_sixth_image(project, founder):
    for _ in range(MAX_IMAGES):
        add(project, founder)
    files = stored_files()

    with pytest.raises(services.ProjectError, match="at most 5 images"):
        add(project, founder)
    assert ProjectImage.objects.filter(project=project).count() == MAX_IMAGES
    assert stored_files() == files


def test_image_add_needs_a_description(project, founder):
    with pytest.raises(services.ProjectError) as error:
        add(project, founder, alt_text="   ")
    assert error.value.field == "alt_text"
    _assert_nothing_saved(project)


def test_image_add_refuses_a_stranger_and_after_the_deadline(project, founder, stranger):
    with pytest.raises(services.ProjectError, match="Only the team's members"):
        add(project, stranger)
    with pytest.raises(services.ProjectError, match="deadline"):
        add(project, founder, now=DEADLINE)
    _assert_nothing_saved(project)


# --- removing and reordering ------------------------------------------------------------------


def test_image_remove_deletes_an_image_no_version_shows(
    project, founder, django_capture_on_commit_callbacks
):
    image = add(project, founder)
    assert len(stored_files()) == 2

    with django_capture_on_commit_callbacks(execute=True):
        services.image_remove(image=image, actor=founder, now=BEFORE)

    assert not ProjectImage.objects.exists()
    assert stored_files() == []


def test_image_remove_keeps_an_image_a_version_shows(
    project, founder, django_capture_on_commit_callbacks
):
    image = add(project, founder)
    version = services.project_submit(project=project, actor=founder, now=BEFORE)
    files = stored_files()

    with django_capture_on_commit_callbacks(execute=True):
        services.image_remove(image=image, actor=founder, now=BEFORE)

    image.refresh_from_db()
    assert image.detached_at == BEFORE
    assert stored_files() == files
    assert version.snapshot["images"][0]["image"] in files
    assert list(selectors.attached_images().filter(project=project)) == []
    assert selectors.project_snapshot(project=project)["images"] == []
    for _ in range(MAX_IMAGES):  # a detached image does not count towards the five
        add(project, founder)


def test_image_remove_twice_is_refused(project, founder):
    image = add(project, founder)
    services.project_submit(project=project, actor=founder, now=BEFORE)
    services.image_remove(image=image, actor=founder, now=BEFORE)

    with pytest.raises(services.ProjectError, match="already removed"):
        services.image_remove(image=image, actor=founder, now=BEFORE)


def test_image_remove_after_the_deadline_is_refused(project, founder):
    image = add(project, founder)

    with pytest.raises(services.ProjectError, match="deadline"):
        services.image_remove(image=image, actor=founder, now=DEADLINE)
    image.refresh_from_db()
    assert image.detached_at is None


def test_image_reorder_sets_the_order(project, founder):
    images = [add(project, founder, alt_text=f"Bild {n}") for n in range(3)]

    services.image_reorder(
        project=project, actor=founder, order=[images[2].pk, images[0].pk, images[1].pk], now=BEFORE
    )

    assert [i.alt_text for i in selectors.attached_images().filter(project=project)] == [
        "Bild 2",
        "Bild 0",
        "Bild 1",
    ]


def test_image_reorder_needs_every_image_once(project, founder):
    images = [add(project, founder) for _ in range(2)]

    for order in ([images[0].pk], [images[0].pk, images[0].pk], [images[0].pk, 999999], ["x"]):
        with pytest.raises(services.ProjectError):
            services.image_reorder(project=project, actor=founder, order=order, now=BEFORE)


# --- races (PostgreSQL) ------------------------------------------------------------------------


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("eager_celery")
def test_image_add_racing_uploads_never_exceed_five(project, founder, member):
    for _ in range(MAX_IMAGES - 1):
        add(project, founder)
    results = race(
        *(lambda actor=actor: add(project, actor) for actor in [founder, member, founder, member])
    )

    assert sum(isinstance(result, ProjectImage) for result in results) == 1
    assert all(
        isinstance(result, ProjectImage) or "at most 5" in str(result) for result in results
    ), results
    assert ProjectImage.objects.filter(project=project).count() == MAX_IMAGES
    assert len(stored_files()) == 2 * MAX_IMAGES
