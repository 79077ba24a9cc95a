from __future__ import annotations

from datetime import timedelta

import factory
from django.utils import timezone

from accounts.models import User
from events.enums import PhaseKind
from events.models import Event, Phase
from notifications.models import Notification

DEFAULT_PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    display_name = factory.Sequence(lambda n: f"Person {n}")
    language = "de"
    password = factory.PostGenerationMethodCall("set_password", DEFAULT_PASSWORD)

    @factory.post_generation
    def _save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save(update_fields=["password"])


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    slug = factory.Sequence(lambda n: f"event-{n}")
    name = factory.Sequence(lambda n: f"Hackathon {n}")
    time_zone = "Europe/Berlin"
    is_public = True


class PhaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Phase

    event = factory.SubFactory(EventFactory)
    kind = PhaseKind.HACKING
    starts_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=48))


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    recipient = factory.SubFactory(UserFactory)
    kind = "system.announcement"
    context = factory.LazyFunction(dict)
