"""`worker`: one process that runs background tasks and the periodic jobs, with a heartbeat."""

import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand

from strategists.common.health import heartbeat_beat, heartbeat_forget, worker_name
from strategists.common.processes import die_with_parent, stop_on_sigterm
from strategists.common.schedule import all_jobs, run_due_jobs, run_job

RQ_BACKEND = "django_tasks_rq.RQBackend"


def task_runner_command(*, once: bool = False, name: str = "") -> list[str]:
    """The process that runs queued tasks: django-rq's `rqworker` (with RQ's scheduler, for tasks
    that run later) when the tasks live in Redis, else django-tasks-db's database worker, named
    after this worker's heartbeat so that the tasks it leaves running when it dies can be
    recognised and run again (common/task_services.py)."""
    command = [sys.executable, "-m", "strategists"]
    if settings.TASKS["default"]["BACKEND"] == RQ_BACKEND:
        # RQ's jobs must be django-tasks-rq's, which call the task's function: a plain RQ job
        # fails with "'Task' object is not callable".
        return [
            *command,
            "rqworker",
            *settings.RQ_QUEUES,
            "--job-class",
            "django_tasks_rq.Job",
            "--with-scheduler",
            *(["--burst"] if once else []),
        ]
    return [
        *command,
        "db_worker",
        "--queue-name",
        "*",
        "--no-reload",
        *(["--worker-id", name] if name else []),
        *(["--batch"] if once else []),
    ]


class Command(BaseCommand):
    help = "Run the background task worker and the periodic jobs (reminders, retries, escalations)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--once", action="store_true", help="Run due tasks and every job once, then exit."
        )

    def handle(self, *args, once=False, **options):
        if once:
            subprocess.run(task_runner_command(once=True), check=False)  # noqa: S603
            for _, path in all_jobs():
                run_job(path)
            return
        stop_on_sigterm()
        # The heartbeat first: the task runner's claims carry this name from its first task.
        name = worker_name()
        heartbeat_beat(name=name)
        last_beat = time.monotonic()
        worker = subprocess.Popen(  # noqa: S603
            task_runner_command(name=name), preexec_fn=die_with_parent
        )
        self.stdout.write("Worker started; running periodic jobs.")
        self.stdout.flush()
        try:
            while worker.poll() is None:
                now = time.monotonic()
                if now - last_beat >= settings.WORKER_HEARTBEAT_SECONDS:
                    last_beat = now
                    heartbeat_beat(name=name)
                # Each job runs once per interval across every worker: the lease decides who.
                run_due_jobs(holder=name)
                time.sleep(min(5, settings.WORKER_HEARTBEAT_SECONDS))
        except KeyboardInterrupt:
            pass
        finally:
            worker.terminate()
            try:
                worker.wait(timeout=20)
            except subprocess.TimeoutExpired:
                worker.kill()
            heartbeat_forget(name=name)
