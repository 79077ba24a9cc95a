"""Checking and re-encoding uploaded project images with Pillow.

An upload is accepted only when Pillow reads it as JPEG, PNG, WebP or GIF (the first
frame), within a byte and a pixel limit (a small file can unpack into an enormous
image, a "decompression bomb"). What we store is never the uploaded file: it is
decoded, turned upright by its EXIF orientation, converted to RGB on white, scaled down
to at most MAX_EDGE pixels and written as a fresh JPEG without any metadata (EXIF, GPS
position, camera, comments), plus a thumbnail of at most THUMBNAIL_EDGE pixels.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_UPLOAD_BYTES = 8 * 1024 * 1024
MAX_PIXELS = 40_000_000  # e.g. 8000 × 5000; more is almost certainly not a screenshot or photo
MAX_EDGE = 2400
THUMBNAIL_EDGE = 480
ALLOWED_FORMATS = ("JPEG", "PNG", "WEBP", "GIF")
JPEG_QUALITY = 85


class ImageRejected(Exception):
    """The upload is not an image we accept; the message says why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class ProcessedImage:
    image: bytes
    thumbnail: bytes
    width: int
    height: int


def _open(upload) -> Image.Image:
    """Decodes the upload (first frame only), refusing anything we do not accept."""
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(upload, formats=ALLOWED_FORMATS)
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise ImageRejected(
                    _(
                        "The image has too many pixels (%(width)d × %(height)d). "
                        "Please upload one of at most %(megapixels)d megapixels."
                    )
                    % {"width": width, "height": height, "megapixels": MAX_PIXELS // 1_000_000}
                )
            image.load()
    except ImageRejected:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageRejected(
            _(
                "The image has too many pixels. "
                "Please upload one of at most %(megapixels)d megapixels."
            )
            % {"megapixels": MAX_PIXELS // 1_000_000}
        ) from None
    except UnidentifiedImageError:
        raise ImageRejected(
            _("This file is not an image we can use. Please upload a JPEG, PNG, WebP or GIF.")
        ) from None
    except (OSError, SyntaxError, ValueError, EOFError):
        raise ImageRejected(
            _("The image could not be read; the file may be damaged. Please try another one.")
        ) from None
    return image


def _upright_rgb(image: Image.Image) -> Image.Image:
    image = ImageOps.exif_transpose(image) or image
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")


def _jpeg(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    # Pillow copies a comment, EXIF and ICC profile from `info` by default: drop them all,
    # so the new file carries no metadata at all.
    image.info = {}
    image.save(buffer, format="JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    return buffer.getvalue()


def process_upload(upload) -> ProcessedImage:
    """Checks an uploaded file and returns the re-encoded image and thumbnail.

    Raises ImageRejected (with a message for the uploader) for files that are empty,
    too large, not JPEG/PNG/WebP/GIF, damaged, or with too many pixels.
    """
    size = getattr(upload, "size", None)
    if not size:
        raise ImageRejected(_("The file is empty."))
    if size > MAX_UPLOAD_BYTES:
        raise ImageRejected(
            _("The file is too large (%(size)s MB). Images may have at most %(max)d MB.")
            % {"size": f"{size / 1024 / 1024:.1f}", "max": MAX_UPLOAD_BYTES // 1024 // 1024}
        )
    source = _open(upload)
    try:
        image = _upright_rgb(source)
    except (OSError, ValueError):
        raise ImageRejected(
            _("The image could not be read; the file may be damaged. Please try another one.")
        ) from None
    image.thumbnail((MAX_EDGE, MAX_EDGE), Image.Resampling.LANCZOS)
    thumbnail = image.copy()
    thumbnail.thumbnail((THUMBNAIL_EDGE, THUMBNAIL_EDGE), Image.Resampling.LANCZOS)
    return ProcessedImage(
        image=_jpeg(image),
        thumbnail=_jpeg(thumbnail),
        width=image.width,
        height=image.height,
    )
