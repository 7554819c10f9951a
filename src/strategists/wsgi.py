"""The entry point a WSGI server (gunicorn) loads to serve the site."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "strategists.settings")
application = get_wsgi_application()
