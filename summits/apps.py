from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SummitsConfig(AppConfig):
    """The documentary record: countries, sources, summits, ministerials and reports."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "summits"
    verbose_name = _("Summits and reports")
