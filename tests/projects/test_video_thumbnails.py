"""The pitch video's thumbnail: fetched by our server from the video site (here: a real
HTTP server of the test's own, standing in for YouTube), re-encoded, served by this site."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from PIL import Image

from projects import services, video
from projects.models import Project
from tests.projects.conftest import image_bytes, make_project

pytestmark = pytest.mark.django_db

YOUTUBE = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.youtube.com/watch?v=dQw4w9WgXcQ", ("youtube", "dQw4w9WgXcQ")),
        ("https://youtu.be/dQw4w9WgXcQ?t=3", ("youtube", "dQw4w9WgXcQ")),
        ("https://www.youtube.com/shorts/dQw4w9WgXcQ", ("youtube", "dQw4w9WgXcQ")),
        ("https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ", ("youtube", "dQw4w9WgXcQ")),
        ("https://vimeo.com/76979871", ("vimeo", "76979871")),
        ("https://player.vimeo.com/video/76979871", ("vimeo", "76979871")),
        ("https://www.youtube.com/watch?v=short", None),
        ("https://example.org/watch?v=dQw4w9WgXcQ", None),
        ("javascript:alert(1)", None),
        ("", None),
    ],
)
def test_video_reference_knows_youtube_and_vimeo_addresses(url, expected):
    assert video.video_reference(url) == expected


class _VideoSite:
    """Serves one path; counts the requests."""

    def __init__(self, body: bytes, status: int = 200) -> None:
        self.body, self.status, self.requests = body, status, 0
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                site.requests += 1
                self.send_response(site.status)
                self.send_header("Content-Type", "image/jpeg")
                self.end_headers()
                self.wfile.write(site.body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}/vi/thumb.jpg"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def video_site(monkeypatch):
    sites = []

    def serve(body: bytes, status: int = 200) -> _VideoSite:
        site = _VideoSite(body, status)
        sites.append(site)
        monkeypatch.setattr(video, "youtube_thumbnail_url", lambda video_id: site.url)
        return site

    yield serve
    for site in sites:
        site.close()


@pytest.fixture
def project(team, founder, challenge, open_deadline):
    return make_project(team, founder, challenge, video_url=YOUTUBE)


def test_thumbnail_is_fetched_re_encoded_and_fetched_only_once(project, video_site):
    site = video_site(image_bytes("PNG", size=(1280, 720)))

    assert services.project_video_thumbnail_refresh(project_id=project.pk)
    assert services.project_video_thumbnail_refresh(project_id=project.pk)  # nothing new

    project.refresh_from_db()
    assert site.requests == 1
    assert project.video_thumbnail_for == YOUTUBE
    with Image.open(project.video_thumbnail.path) as stored:
        assert stored.format == "JPEG"
        assert max(stored.size) <= 480


def test_the_page_shows_our_copy_and_asks_no_video_site(client, project, video_site):
    video_site(image_bytes())
    services.project_video_thumbnail_refresh(project_id=project.pk)
    project.refresh_from_db()
    Project.objects.filter(pk=project.pk).update(status="submitted")

    body = client.get(project.get_absolute_url()).content.decode()

    assert f'src="{project.video_thumbnail.url}"' in body
    assert project.video_thumbnail.url.startswith("/media/")
    assert "ytimg" not in body and "<iframe" not in body


@pytest.mark.parametrize(("body", "status"), [(b"not an image", 200), (b"", 404)])
def test_a_missing_or_broken_thumbnail_leaves_none(project, video_site, body, status):
    video_site(body, status)

    assert not services.project_video_thumbnail_refresh(project_id=project.pk)

    project.refresh_from_db()
    assert not project.video_thumbnail


def test_a_new_link_replaces_the_copy_and_a_non_video_link_drops_it(
    project, founder, video_site, open_deadline
):
    video_site(image_bytes())
    services.project_video_thumbnail_refresh(project_id=project.pk)
    project.refresh_from_db()
    first = project.video_thumbnail.name
    storage = project.video_thumbnail.storage

    services.project_update(
        project=project, actor=founder, data={"video_url": "https://youtu.be/aaaaaaaaaaa"}
    )
    services.project_video_thumbnail_refresh(project_id=project.pk)
    project.refresh_from_db()
    assert project.video_thumbnail.name != first
    assert not storage.exists(first)

    services.project_update(
        project=project, actor=founder, data={"video_url": "https://example.org/pitch.mp4"}
    )
    services.project_video_thumbnail_refresh(project_id=project.pk)
    project.refresh_from_db()
    assert not project.video_thumbnail
    # Recorded as "this link has no thumbnail", so the sweep leaves it alone.
    assert project.video_thumbnail_for == "https://example.org/pitch.mp4"


def test_changing_the_link_enqueues_a_fetch_after_commit(
    team,
    founder,
    challenge,
    open_deadline,
    settings,
    video_site,
    django_capture_on_commit_callbacks,
):
    settings.VIDEO_THUMBNAILS = True
    video_site(image_bytes())

    with django_capture_on_commit_callbacks(execute=True) as created:
        project = make_project(team, founder, challenge, video_url=YOUTUBE)
    with django_capture_on_commit_callbacks(execute=True) as unchanged:
        services.project_update(project=project, actor=founder, data={"pitch": "Neu gepitcht."})

    assert len(created) == 1 and len(unchanged) == 0
    project.refresh_from_db()
    assert project.video_thumbnail_for == YOUTUBE  # the eager task ran


def test_network_errors_are_left_to_the_task_to_retry(project, monkeypatch):
    def refuse(url):
        raise ConnectionRefusedError("no route")

    monkeypatch.setattr(video, "fetch_thumbnail", refuse)
    monkeypatch.setattr(services.images, "fetch_thumbnail", refuse)

    with pytest.raises(OSError):
        services.project_video_thumbnail_refresh(project_id=project.pk)


@pytest.mark.parametrize("status", [429, 503])
def test_a_busy_video_site_is_retried_later(project, video_site, status):
    video_site(b"", status)

    with pytest.raises(OSError):
        services.project_video_thumbnail_refresh(project_id=project.pk)


def test_a_task_for_an_old_link_never_drops_a_newer_copy(project, video_site, founder):
    video_site(image_bytes())
    services.project_video_thumbnail_refresh(project_id=project.pk)
    stale = Project.objects.get(pk=project.pk)  # what a slow task read at its start
    services.project_update(
        project=project, actor=founder, data={"video_url": "https://youtu.be/bbbbbbbbbbb"}
    )
    services.project_video_thumbnail_refresh(project_id=project.pk)
    newer = Project.objects.get(pk=project.pk).video_thumbnail.name

    services.images._drop_video_thumbnail(stale, url=YOUTUBE)

    current = Project.objects.get(pk=project.pk)
    assert current.video_thumbnail.name == newer
    assert current.video_thumbnail.storage.exists(newer)
