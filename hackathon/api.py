"""The versioned REST API: each app registers its viewsets on this router."""

from rest_framework.routers import DefaultRouter

from challenges.api import ChallengeViewSet, TopicViewSet
from events.api import EventViewSet
from notifications.api import NotificationViewSet

router = DefaultRouter()
router.register("events", EventViewSet, basename="event")
router.register("notifications", NotificationViewSet, basename="notification")
router.register("challenges", ChallengeViewSet, basename="challenge")
router.register("topics", TopicViewSet, basename="topic")
