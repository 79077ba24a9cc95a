"""`manage.py seed_demo`: fill the database with a believable demo. Safe to run again.

How apps contribute
-------------------
Every installed app may have a module `<app>/demo.py` with a function

    def seed(*, context: events.demo.DemoContext) -> None: ...

The command imports these modules and calls `seed` once each, in the order of
INSTALLED_APPS, inside one transaction, all with the same `context`. So a step
can use what the apps listed before it made: `context.users` ("admin",
"organiser"), `context.participants`, `context.events` ("current", "past", "upcoming"),
`context.now` (one clock for the whole run), and anything an earlier app put in
`context.extra[<app label>]`. `context.person(...)` creates or resets a demo
person with a verified address and the demo password; `context.log(...)` prints
a progress line.

Rules for a step: idempotent (look rows up by natural keys with get_or_create /
update_or_create, or go through the app's services), no mail or other side
effects outside the database, and times relative to `context.now` where the demo
should look "live".

At the end the command prints the demo logins. It refuses to run in production
unless told to, because it creates a superuser with a published password.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import module_has_submodule

from events.demo import DEMO_PASSWORD, DemoContext

SeedStep = Callable[..., None]


def demo_steps() -> list[tuple[str, SeedStep]]:
    """(app label, seed function) of every installed app with a `demo` module, in order."""
    steps = []
    for app_config in apps.get_app_configs():
        if not module_has_submodule(app_config.module, "demo"):
            continue
        module = import_module(f"{app_config.name}.demo")
        seed = getattr(module, "seed", None)
        if not callable(seed):
            raise CommandError(f"{app_config.name}.demo has no seed(*, context) function.")
        steps.append((app_config.label, seed))
    return steps


class Command(BaseCommand):
    help = (
        "Create the demo data: two editions (one in its hackathon right now), an admin, "
        "an organiser, a juror and participants, all with the same known password. Idempotent."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--password", default=DEMO_PASSWORD, help="Password of every demo account."
        )
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Run even with DJANGO_ENV=production (creates a superuser with a known password).",
        )

    def handle(self, *args, password: str, allow_production: bool, **options) -> None:
        if settings.PRODUCTION and not allow_production:
            raise CommandError(
                "seed_demo creates accounts with a published password; "
                "refusing in production (use --allow-production if you really mean it)."
            )
        if not password:
            raise CommandError("The demo password must not be empty.")
        context = DemoContext(now=timezone.now(), password=password, stdout=self.stdout)
        with transaction.atomic():
            for label, seed in demo_steps():
                self.stdout.write(f"Seeding {label} …")
                seed(context=context)
        self.stdout.write(self.style.SUCCESS("Demo data is ready."))
        self._print_logins(context)

    def _print_logins(self, context: DemoContext) -> None:
        if not context.logins:
            return
        self.stdout.write("")
        self.stdout.write(self.style.MIGRATE_HEADING("Demo logins"))
        width = max(len(login.email) for login in context.logins)
        for login in context.logins:
            self.stdout.write(f"  {login.email:<{width}}  {context.password}  ({login.role})")
        self.stdout.write(f"Every demo account has the password: {context.password}")
