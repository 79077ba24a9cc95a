"""The site's URLs plus probe endpoints for what no real endpoint does on purpose:
a serializer that fails validation, a response holding a lone surrogate, a view that
crashes outside DRF and one inside, and one only staff may call (DRF's plain 403).
"""

from django.urls import path
from rest_framework import permissions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from hackathon.urls import handler400, handler403, handler404, handler500  # noqa: F401 - the site's error pages
from hackathon.urls import urlpatterns as site_urlpatterns


class ProbeSerializer(serializers.Serializer):
    email = serializers.EmailField()
    count = serializers.IntegerField(min_value=1)


class ProbeView(APIView):
    permission_classes = [permissions.AllowAny]

    def post(self, request):
        serializer = ProbeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return Response(serializer.validated_data)


class SurrogateView(APIView):
    permission_classes = [permissions.AllowAny]

    def get(self, request):
        return Response({"text": "\ud800abc"})


class CrashView(APIView):
    permission_classes = [permissions.AllowAny]

    def get(self, request):
        raise RuntimeError("a bug inside DRF")


class StaffOnlyView(APIView):
    permission_classes = [permissions.IsAdminUser]

    def get(self, request):
        return Response({})


def crash(request):
    raise RuntimeError("a bug outside DRF")


urlpatterns = [
    *site_urlpatterns,
    path("api/test/probe/", ProbeView.as_view()),
    path("api/test/surrogate/", SurrogateView.as_view()),
    path("api/test/crash/", crash),
    path("api/test/drf-crash/", CrashView.as_view()),
    path("api/test/staff-only/", StaffOnlyView.as_view()),
    path("test/crash/", crash),
]
