"""What the web server checks before it serves (wsgi.py, asgi.py, and runserver through wsgi.py), and
the one way both entry points build their application."""

import os

from django.core.exceptions import ImproperlyConfigured


def build_application(get_application):
    """The WSGI or ASGI application (``get_application`` is Django's ``get_wsgi_application`` or
    ``get_asgi_application``), refused on the public secret key. Settings default to
    ``spp_tracker.settings``."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "spp_tracker.settings")
    application = get_application()
    refuse_public_secret_key()
    return application


def refuse_public_secret_key():
    """Sessions, CSRF tokens and password-reset links signed with the built-in key could be forged by
    anyone who reads this repository, so production (DEBUG off) does not serve on it."""
    from django.conf import settings

    if not settings.DEBUG and settings.SECRET_KEY == settings.LOCAL_SECRET_KEY:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Production (DJANGO_DEBUG off) needs a long random secret, e.g. "
            "DJANGO_SECRET_KEY=$(python -c 'import secrets; print(secrets.token_urlsafe(50))'); "
            "for local development set DJANGO_DEBUG=1 instead."
        )
