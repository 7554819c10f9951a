"""`strategists serve`: the platform on one machine. One process (waitress, threads) by default,
which is what a newcomer needs; `--workers N` runs N processes under gunicorn for production.
The background worker starts beside it unless told not to, and stops with it, SIGTERM included."""

import os
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from strategists.common.processes import stop_on_sigterm


class Command(BaseCommand):
    help = "Serve the platform (waitress, or gunicorn with --workers N) with the background worker beside it."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument(
            "--no-worker", action="store_true", help="Don't start the background worker."
        )
        parser.add_argument("--threads", type=int, default=8, help="threads per process")
        parser.add_argument(
            "--workers",
            type=int,
            default=1,
            help="web processes; more than one runs gunicorn (Linux, macOS)",
        )

    def handle(self, *args, host, port, no_worker, threads, workers, **options):
        if workers < 1:
            raise CommandError("--workers must be at least 1.")
        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        stop_on_sigterm()
        worker = None
        if not no_worker:
            worker = subprocess.Popen([sys.executable, "-m", "strategists", "worker"])
        self.stdout.write(
            f"Serving 1000 Strategists at http://{host}:{port}/ with {workers} process(es) "
            f"(public URL {settings.PUBLIC_URL}); Ctrl-C stops."
        )
        self.stdout.flush()
        try:
            if workers == 1:
                self._waitress(host, port, threads)
            else:
                self._gunicorn(host, port, threads, workers)
        finally:
            if worker is not None:
                worker.terminate()
                try:
                    worker.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    worker.kill()

    def _waitress(self, host, port, threads):
        from waitress import serve

        # Import the application only now: WhiteNoise indexes the collected files when it starts.
        from strategists.wsgi import application

        serve(application, host=host, port=port, threads=threads, ident="strategists")

    def _gunicorn(self, host, port, threads, workers):
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "strategists.wsgi:application",
            "--bind",
            f"{host}:{port}",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--worker-class",
            "gthread",
            "--graceful-timeout",
            "20",
            "--access-logfile",
            "-",
        ]
        web = subprocess.Popen(command, env={**os.environ})  # noqa: S603
        try:
            web.wait()
        finally:
            if web.poll() is None:
                web.terminate()  # gunicorn's master stops its workers gracefully on SIGTERM
                web.wait(timeout=30)
