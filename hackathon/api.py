"""The versioned REST API: each app registers its viewsets on this router."""

from rest_framework.routers import DefaultRouter

from challenges.api import ChallengeViewSet, TopicViewSet
from events.api import EventViewSet
from judging.api import AssignmentViewSet, PublishedResultViewSet, ReviewViewSet, RoundViewSet
from mentoring.api import HelpRequestViewSet
from notifications.api import NotificationViewSet
from participants.api import MyRegistrationViewSet, ParticipantViewSet
from projects.api import ProjectViewSet
from teams.api import InvitationViewSet, MyTeamViewSet, TeamViewSet

router = DefaultRouter()
router.register("events", EventViewSet, basename="event")
router.register("notifications", NotificationViewSet, basename="notification")
router.register("challenges", ChallengeViewSet, basename="challenge")
router.register("topics", TopicViewSet, basename="topic")
router.register("participants", ParticipantViewSet, basename="participant")
router.register("me/registrations", MyRegistrationViewSet, basename="my-registration")
router.register("teams", TeamViewSet, basename="team")
router.register("invitations", InvitationViewSet, basename="invitation")
router.register("me/teams", MyTeamViewSet, basename="my-team")
router.register("help-requests", HelpRequestViewSet, basename="help-request")
router.register("projects", ProjectViewSet, basename="project")
router.register("judging/rounds", RoundViewSet, basename="judging-round")
router.register("judging/assignments", AssignmentViewSet, basename="judging-assignment")
router.register("judging/reviews", ReviewViewSet, basename="judging-review")
router.register("judging/results", PublishedResultViewSet, basename="judging-result")
