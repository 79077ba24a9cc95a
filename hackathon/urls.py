from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.static import serve
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from accounts.views import set_language
from hackathon import views
from hackathon.api import router
from hackathon.errors import JSONErrorsMixin

admin.site.site_header = settings.SITE_NAME
admin.site.site_title = settings.SITE_NAME

# JSON under /api/, Django's pages elsewhere.
handler400 = "hackathon.errors.bad_request"
handler403 = "hackathon.errors.permission_denied"
handler404 = "hackathon.errors.page_not_found"
handler500 = "hackathon.errors.server_error"


class SchemaView(JSONErrorsMixin, SpectacularAPIView):
    pass


class DocsView(JSONErrorsMixin, SpectacularSwaggerSplitView):
    pass


urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("events/", include("events.urls")),
    path("challenges/", include("challenges.urls")),
    path("teams/", include("teams.urls")),
    path("participants/", include("participants.urls")),
    path("mentoring/", include("mentoring.urls")),
    path("projects/", include("projects.urls")),
    path("judging/", include("judging.urls")),
    path("notifications/", include("notifications.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("api/schema/", SchemaView.as_view(), name="api-schema"),
    # The split view loads its start-up script from a URL: our CSP forbids inline scripts.
    # (No Redoc page: it needs Google Fonts and inline styles, which the CSP forbids.)
    path("api/docs/", DocsView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/v1/", include(router.urls)),
]

if settings.STORAGES["default"]["BACKEND"].endswith("FileSystemStorage"):
    # Uploaded files from the local folder; a reverse proxy or S3 serves them at scale.
    # MEDIA_ROOT is read per request, so a test that moves it still sees its files.
    def _serve_media(request, path):
        return serve(request, path, document_root=settings.MEDIA_ROOT)

    urlpatterns.append(path(f"{settings.MEDIA_URL.strip('/')}/<path:path>", _serve_media))
