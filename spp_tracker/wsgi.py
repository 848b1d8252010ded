"""The WSGI callable ``application`` (gunicorn, runserver); built by serving.build_application.
https://docs.djangoproject.com/en/5.2/howto/deployment/wsgi/"""

from django.core.wsgi import get_wsgi_application

from spp_tracker.serving import build_application

application = build_application(get_wsgi_application)
