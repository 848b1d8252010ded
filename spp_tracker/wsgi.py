"""
WSGI config for spp_tracker project.

It exposes the WSGI callable as a module-level variable named ``application``.

For more information on this file, see
https://docs.djangoproject.com/en/5.2/howto/deployment/wsgi/
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "spp_tracker.settings")

application = get_wsgi_application()

from spp_tracker.serving import refuse_public_secret_key  # noqa: E402 - needs the settings loaded

refuse_public_secret_key()
