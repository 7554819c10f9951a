"""Periodic jobs: each app may define `schedule.JOBS = [(seconds, "dotted.path.to.callable")]`.

`strategists worker` runs them beside the task worker: mail retries, reminders, waitlist offers
that lapse, questions that escalate. Each job is idempotent, so running one twice is harmless.
"""

import importlib
import logging

from django.apps import apps

logger = logging.getLogger(__name__)

JOBS = [
    (60, "strategists.common.mail.mail_send_due"),
    (24 * 3600, "strategists.common.mail.mail_purge_bodies"),
]


def all_jobs() -> list[tuple[int, str]]:
    jobs = []
    for config in apps.get_app_configs():
        if not config.name.startswith("strategists."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.schedule")
        except ModuleNotFoundError:
            continue
        jobs.extend(getattr(module, "JOBS", []))
    return jobs


def run_job(path: str) -> None:
    module_name, _, function_name = path.rpartition(".")
    function = getattr(importlib.import_module(module_name), function_name)
    try:
        function()
    except Exception:
        logger.exception("periodic job %s failed", path)
