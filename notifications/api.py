"""A signed-in person's own notifications. Anyone else's are 404, never 403."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from hackathon.api_schema import schema_queryset
from hackathon.serializers import NoFilters
from notifications.models import Notification
from notifications.rendering import absolute_url, kind_of, notification_link, render_inapp_text
from notifications.selectors import notifications_for_user
from notifications.services import notification_mark_read, notifications_mark_all_read


class NotificationSerializer(serializers.ModelSerializer):
    kind_label = serializers.SerializerMethodField(
        help_text="The kind in the request's language, as on the settings page."
    )
    text = serializers.SerializerMethodField(
        help_text="The notification as a sentence in the request's language."
    )
    link = serializers.SerializerMethodField(
        help_text="Absolute URL of the page the notification is about, if any."
    )
    context = serializers.DictField(
        read_only=True,
        help_text="The facts the notification was made from; the keys depend on the kind.",
    )
    is_read = serializers.BooleanField(read_only=True)

    class Meta:
        model = Notification
        fields = [
            "id",
            "kind",
            "kind_label",
            "text",
            "link",
            "context",
            "created_at",
            "read_at",
            "is_read",
        ]
        read_only_fields = fields

    def get_kind_label(self, notification: Notification) -> str:
        kind = kind_of(notification)
        return str(kind.label) if kind is not None else notification.kind

    def get_text(self, notification: Notification) -> str:
        return render_inapp_text(notification)

    def get_link(self, notification: Notification) -> str | None:
        path = notification_link(notification)
        return absolute_url(path) if path else None


class MarkAllReadSerializer(serializers.Serializer):
    marked_read = serializers.IntegerField(help_text="How many notifications were unread.")


@extend_schema_view(
    list=extend_schema(summary="Your notifications, newest first", parameters=[NoFilters]),
    retrieve=extend_schema(summary="One of your notifications"),
)
class NotificationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    serializer_class = NotificationSerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return schema_queryset(Notification)
        if self.action == "list":
            NoFilters.from_request(self.request)
        return notifications_for_user(user=self.request.user)

    @extend_schema(summary="Mark one notification as read", request=None)
    @action(detail=True, methods=["post"], url_path="read")
    def read(self, request: Request, pk: str | None = None) -> Response:
        notification = notification_mark_read(notification=self.get_object(), user=request.user)
        return Response(self.get_serializer(notification).data)

    @extend_schema(
        summary="Mark all your notifications as read",
        request=None,
        responses=MarkAllReadSerializer,
    )
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request: Request) -> Response:
        count = notifications_mark_all_read(user=request.user)
        return Response(MarkAllReadSerializer({"marked_read": count}).data)
