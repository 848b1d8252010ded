"""Settings for the test suite: the production settings module, with a throw-away secret key.

Production refuses to start without DJANGO_SECRET_KEY; tests are not production, so they bring their own."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "tests-only-" + "not-a-secret-" * 4)

from spp_tracker.settings import *  # noqa: E402, F403

# The test client and the browser tests' live server speak plain HTTP.
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0

# Tests see the production settings whatever DJANGO_DEBUG the shell has (the Makefile turns it on for
# local commands): no debug toolbar in the middleware or the URLs.
DEBUG = False
DEBUG_TOOLBAR = False
INSTALLED_APPS = [app for app in INSTALLED_APPS if app != "debug_toolbar"]  # noqa: F405
MIDDLEWARE = [name for name in MIDDLEWARE if not name.startswith("debug_toolbar")]  # noqa: F405
