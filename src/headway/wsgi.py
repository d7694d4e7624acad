"""WSGI entry point for gunicorn (`headway serve`)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "headway.settings")
application = get_wsgi_application()
