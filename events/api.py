from rest_framework import viewsets

from events.models import Event


class EventViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Event.objects.none()
