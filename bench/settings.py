"""Settings for the benchmark: the production settings (DEBUG off), served over plain HTTP to the test
client. bench/run.py sets DJANGO_DEBUG=0 and a default DATABASE_URL before this module is imported."""

from spp_tracker.settings import *  # noqa: F403
from spp_tracker.settings import ALLOWED_HOSTS, STORAGES

# The test client speaks plain HTTP to "testserver".
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
ALLOWED_HOSTS = [*ALLOWED_HOSTS, "testserver"]
# No collectstatic in a benchmark: static names are served as they are, not from the manifest.
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
