from django.conf import settings


def site(request) -> dict:
    return {"SITE_NAME": settings.SITE_NAME, "SITE_URL": settings.SITE_URL, "DEMO": settings.DEMO}
