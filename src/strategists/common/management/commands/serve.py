import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve the platform (waitress, static files by WhiteNoise) with the background worker beside it."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--no-worker", action="store_true", help="Don't start the background worker.")
        parser.add_argument("--threads", type=int, default=8)

    def handle(self, *args, host, port, no_worker, threads, **options):
        from waitress import serve

        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        # Import the application only now: WhiteNoise indexes the collected files when it starts.
        from strategists.wsgi import application
        worker = None
        if not no_worker:
            worker = subprocess.Popen([sys.executable, "-m", "strategists", "worker"])
        self.stdout.write(f"Serving 1000 Strategists at http://{host}:{port}/ (public URL {settings.PUBLIC_URL}); Ctrl-C stops.")
        try:
            serve(application, host=host, port=port, threads=threads, ident="strategists")
        finally:
            if worker is not None:
                worker.terminate()
