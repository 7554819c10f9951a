import subprocess
import sys
import time

from django.core.management.base import BaseCommand

from strategists.common.health import heartbeat_beat, heartbeat_forget, worker_name
from strategists.common.processes import stop_on_sigterm
from strategists.common.schedule import all_jobs, run_job

HEARTBEAT_SECONDS = 30


class Command(BaseCommand):
    help = "Run the background task worker and the periodic jobs (reminders, retries, escalations)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Run due tasks and every job once, then exit.")

    def handle(self, *args, once=False, **options):
        worker_args = [sys.executable, "-m", "strategists", "db_worker", "--queue-name", "*", "--no-reload"]
        if once:
            subprocess.run([*worker_args, "--batch"], check=False)  # noqa: S603
            for _, path in all_jobs():
                run_job(path)
            return
        stop_on_sigterm()
        worker = subprocess.Popen(worker_args)  # noqa: S603
        self.stdout.write("Worker started; running periodic jobs.")
        last_run: dict[str, float] = {}
        name, last_beat = worker_name(), 0.0
        try:
            while worker.poll() is None:
                now = time.monotonic()
                if now - last_beat >= HEARTBEAT_SECONDS:
                    last_beat = now
                    heartbeat_beat(name=name)
                for interval, path in all_jobs():
                    if now - last_run.get(path, 0) >= interval:
                        last_run[path] = now
                        run_job(path)
                time.sleep(5)
        except KeyboardInterrupt:
            pass
        finally:
            worker.terminate()
            try:
                worker.wait(timeout=20)
            except subprocess.TimeoutExpired:
                worker.kill()
            heartbeat_forget(name=name)
