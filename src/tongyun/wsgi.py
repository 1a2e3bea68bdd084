import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tongyun.settings")
application = get_wsgi_application()
# The URL configuration — every page, API router and schema — is imported as the worker starts, before it
# accepts a request, not during its first one: gunicorn recycles each worker after ~2,000 requests
# (deploy/gunicorn.conf.py), and every new worker's first request (an alert storm's, a user's) waited ~1 s for
# the imports (bench/bench_alerts.py measured a fifth of a storm's worker time in them, issue #16).
get_resolver().url_patterns  # noqa: B018  (read for its side effect: the import)
