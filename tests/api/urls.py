"""The site's URLs plus one probe endpoint whose serializer can fail validation.

The real API is read-only today; this shows that the configured exception handler
names the offending field whatever endpoint raises the error.
"""

from django.urls import path
from rest_framework import permissions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

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


urlpatterns = [*site_urlpatterns, path("api/test/probe/", ProbeView.as_view())]
