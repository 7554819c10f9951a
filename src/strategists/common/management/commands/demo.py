"""`demo`: build the demo program, each app adding its part from its demo.py; safe to rerun."""

import importlib
import time

from django.apps import apps
from django.core.management import call_command
from django.core.management.base import BaseCommand

DEMO_PASSWORD = "strategists-demo"  # noqa: S105 - public demo password, printed for newcomers


class Command(BaseCommand):
    help = "Build (or refresh) the demo program: every app adds what it shows. Safe to run twice."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=1000)

    def handle(self, *args, seed, **options):
        call_command("migrate", interactive=False, verbosity=0)
        started = time.monotonic()
        for config in apps.get_app_configs():
            if not config.name.startswith("strategists."):
                continue
            try:
                module = importlib.import_module(f"{config.name}.demo")
            except ModuleNotFoundError:
                continue
            step_started = time.monotonic()
            self.stdout.write(f"demo: {config.label} ...")
            module.build(log=lambda message: self.stdout.write(f"  {message}"), seed=seed)
            self.stdout.write(f"  done in {time.monotonic() - step_started:.1f}s")
        self.stdout.write(self.style.SUCCESS(f"Demo ready in {time.monotonic() - started:.1f}s."))
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for config in apps.get_app_configs():
            try:
                module = importlib.import_module(f"{config.name}.demo")
            except ModuleNotFoundError:
                continue
            for email, what in getattr(module, "LOGINS", []):
                self.stdout.write(f"  {email:<36} {what}")
