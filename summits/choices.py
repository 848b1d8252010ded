from django.db import models
from django.utils.translation import gettext_lazy as _


class CountryCode(models.TextChoices):
    CANADA = "CA", _("Canada")
    MEXICO = "MX", _("Mexico")
    UNITED_STATES = "US", _("United States")


class SummitKind(models.TextChoices):
    LEADERS_SUMMIT = "leaders-summit", _("Leaders' summit")
    MINISTERIAL = "ministerial", _("Ministerial meeting")


class ReportKind(models.TextChoices):
    REPORT_TO_LEADERS = "report-to-leaders", _("Report to Leaders")
    LEADERS_STATEMENT = "leaders-statement", _("Leaders' statement")
    MINISTERS_STATEMENT = "ministers-statement", _("Ministers' statement")
    AGENCY_RELEASE = "agency-release", _("Agency release")
    EXPERTS_REPORT = "experts-report", _("Experts group report")
    NACC_REPORT = "nacc-report", _("NACC report")
    OTHER = "other", _("Other document")


class SourceKind(models.TextChoices):
    OFFICIAL = "official", _("Official (government page or archive)")
    SECONDARY = "secondary", _("Secondary (news, blog, NGO, reprint)")
    CITATION = "citation", _("Printed citation (no address)")
