from rest_framework import viewsets

from notifications.models import Notification


class NotificationViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Notification.objects.none()
