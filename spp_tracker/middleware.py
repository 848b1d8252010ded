"""Site-wide middleware of SPP Tracker."""

from django.conf import settings
from django.utils import translation


class QueryLanguageMiddleware:
    """``?lang=fr`` (or ``es``, ``en``) in a shared link shows the page in that language, and keeps
    it for the next pages (the language cookie Django's ``set_language`` view also writes).

    It runs after ``LocaleMiddleware``, which has already chosen the language from the cookie or the
    browser's Accept-Language; an unknown code is ignored and that choice stands.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = self.language_asked(request)
        if settings.LANGUAGE_QUERY_PARAMETER in request.GET:
            # Consumed here: views and forms (the admin's changelist filters, the list's own filters)
            # never see it as one of their parameters.
            request.GET = request.GET.copy()
            del request.GET[settings.LANGUAGE_QUERY_PARAMETER]
        if language is None:
            return self.get_response(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        if request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != language:
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                language,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                path=settings.LANGUAGE_COOKIE_PATH,
                domain=settings.LANGUAGE_COOKIE_DOMAIN,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            )
        return response

    @staticmethod
    def language_asked(request):
        """The site language the query string asks for, or None (no parameter, or not one of ours)."""
        code = request.GET.get(settings.LANGUAGE_QUERY_PARAMETER, "")
        if not code or len(code) > 16:
            return None
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            return None
