"""The ASGI callable ``application``; built by serving.build_application, like wsgi.py.
https://docs.djangoproject.com/en/5.2/howto/deployment/asgi/"""

from django.core.asgi import get_asgi_application

from spp_tracker.serving import build_application

application = build_application(get_asgi_application)
