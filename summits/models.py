"""The documentary record of the SPP: who took part, where they met, what they published, and where
each fact was read.

``agenda`` points at these models (dependencies run agenda -> summits, because every deadline and
status report cites a report). No code here imports from ``agenda``, but one thing depends on it: a
country's page lives in the agenda app (``Country.get_absolute_url`` reverses
``agenda:country_detail``), as it lists the items the country takes part in; summits/admin.py asks
``agenda.roles`` who may change a shared source.
"""

import re
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .choices import CountryCode, ReportKind, SourceKind, SummitKind


class TimeStampedModel(models.Model):
    """Adds creation and last-change times."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class SlugManager(models.Manager):
    """Manager for models whose natural key is their slug."""

    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class SlugPage:
    """A row with its own page at ``detail_url_name`` and its slug as natural key."""

    detail_url_name = ""

    def get_absolute_url(self):
        return reverse(self.detail_url_name, args=[self.slug])

    def natural_key(self):
        return (self.slug,)


class CountryManager(models.Manager):
    def get_by_natural_key(self, code):
        return self.get(code=code)


class Country(models.Model):
    """One of the three SPP partners."""

    code = models.CharField(_("code"), max_length=2, choices=CountryCode, unique=True)

    objects = CountryManager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")
        constraints = [
            models.CheckConstraint(
                condition=Q(code__in=CountryCode.values), name="summits_country_valid_code"
            ),
        ]

    def __str__(self):
        return str(self.name)

    def get_absolute_url(self):
        return reverse("agenda:country_detail", args=[self.code])

    def natural_key(self):
        return (self.code,)

    @property
    def name(self):
        return self.get_code_display()


# Hosts whose pages are government publications. Web archives hold copies of other sites' pages; for
# them the archived page's own host decides. Everything else is secondary: news, blogs, forums, NGO
# and think-tank reprints.
OFFICIAL_DOMAINS = ("gov", "gc.ca", "canada.ca", "gob.mx")
WEB_ARCHIVE_HOSTS = ("bac-lac.wayback.archive-it.org", "webarchive.library.unt.edu", "web.archive.org")


# THE web schemes: the validator, the link check, the host finder and "is this cell an address?"
# (the CSV import) are all built on them.
WEB_SCHEMES = ("http", "https")
SCHEME_PATTERN = "(?:{}):".format("|".join(WEB_SCHEMES))
_ADDRESS = re.compile(
    SCHEME_PATTERN + r"/{1,2}([^/?#:]+)", re.IGNORECASE
)  # an address's host (archives hold two)
_STARTS_AS_ADDRESS = re.compile(SCHEME_PATTERN, re.IGNORECASE)


def looks_like_address(text):
    """Whether a cell gives a web address (then ``validate_web_address`` checks it) rather than a
    printed citation."""
    return bool(_STARTS_AS_ADDRESS.match(text))


def classify_url(url: str) -> str:
    """Official when the page, or the page an archive copy holds, is on a government host."""
    hosts = [host.lower() for host in _ADDRESS.findall(url)]
    if not hosts:
        return SourceKind.SECONDARY
    host = hosts[-1] if hosts[0] in WEB_ARCHIVE_HOSTS else hosts[0]
    official = any(host == domain or host.endswith("." + domain) for domain in OFFICIAL_DOMAINS)
    return SourceKind.OFFICIAL if official else SourceKind.SECONDARY


def validate_web_address(value):
    """Only well-formed http:// and https:// addresses: no ``javascript:``, ``data:`` or other
    scheme a browser would run, and nothing the URL parser chokes on (``http://[::1``)."""
    try:
        URLValidator(schemes=WEB_SCHEMES)(value)
    except ValidationError:
        raise ValidationError(
            _(
                "Enter a complete web address starting with http:// or https:// (for example "
                "https://www.canada.ca/...); for a printed source leave the address empty and fill in the citation."
            ),
            code="invalid_url",
        ) from None


def linkable(url):
    """Whether ``url`` may become a link: the one check every template and the import use."""
    if not url:
        return False
    try:
        validate_web_address(url)
    except ValidationError:
        return False
    return True


class SourceManager(models.Manager):
    def get_by_natural_key(self, url, citation):
        return self.get(url=url, citation=citation)


class Source(models.Model):
    """A document or web page that a fact was read from: a web address, or a printed citation."""

    url = models.CharField(_("web address"), max_length=1000, blank=True, validators=[validate_web_address])
    citation = models.CharField(
        _("citation"), max_length=500, blank=True, help_text=_("For printed sources without a web address.")
    )
    title = models.CharField(_("title"), max_length=300, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=SourceKind)

    objects = SourceManager()

    class Meta:
        ordering = ["url", "citation"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        constraints = [
            models.UniqueConstraint(fields=["url", "citation"], name="summits_source_unique_reference"),
            models.CheckConstraint(
                condition=~Q(url="") | ~Q(citation=""), name="summits_source_url_or_citation"
            ),
            models.CheckConstraint(condition=Q(kind__in=SourceKind.values), name="summits_source_valid_kind"),
        ]

    def __str__(self):
        return self.title or self.citation or self.url

    def natural_key(self):
        return (self.url, self.citation)

    @property
    def link(self):
        """The address to link to, or "" when it is not a well-formed http(s) one (rows stored
        before addresses were validated are shown as text, never as a link)."""
        return self.url if linkable(self.url) else ""

    @property
    def host(self):
        try:
            return (urlsplit(self.url).hostname or "") if self.url else ""
        except ValueError:  # a malformed address stored before validation
            return ""

    @property
    def is_official(self):
        return self.kind == SourceKind.OFFICIAL


def dates_in_order(earlier, later, *, checked, name):
    """The database's half of "``earlier`` does not fall after ``later``" (either may be unknown):
    a constraint on the ``checked`` field; ``clean()`` asks ``dates_out_of_order`` for the form."""
    other = later if checked == earlier else earlier
    lookup = "lte" if checked == earlier else "gte"
    return models.CheckConstraint(
        condition=Q(**{f"{other}__isnull": True})
        | Q(**{f"{checked}__isnull": True})
        | Q(**{f"{checked}__{lookup}": F(other)}),
        name=name,
    )


def dates_out_of_order(row, earlier, later):
    """Whether ``row``'s ``earlier`` date falls after its ``later`` one (both known)."""
    first, second = getattr(row, earlier), getattr(row, later)
    return bool(first and second and second < first)


class Summit(SlugPage, TimeStampedModel):
    """A leaders' summit or a ministerial meeting."""

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=SummitKind)
    city = models.CharField(_("city"), max_length=100, blank=True)
    region = models.CharField(_("state or province"), max_length=100, blank=True)
    country = models.ForeignKey(
        Country, on_delete=models.PROTECT, related_name="summits", verbose_name=_("host country")
    )
    start_date = models.DateField(_("start date"), null=True, blank=True, help_text=_("Empty when unknown."))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    host_leader = models.CharField(_("host leader"), max_length=100, blank=True)
    participants = models.JSONField(
        _("participants"), default=list, blank=True, help_text=_("Leaders or ministers named by the sources.")
    )
    notes = models.TextField(_("notes"), blank=True)
    sources = models.ManyToManyField(Source, blank=True, related_name="summits", verbose_name=_("sources"))

    objects = SlugManager()
    detail_url_name = "summits:summit_detail"

    class Meta:
        ordering = [F("end_date").asc(nulls_last=True), "slug"]
        verbose_name = _("summit or ministerial")
        verbose_name_plural = _("summits and ministerials")
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=SummitKind.values), name="summits_summit_valid_kind"),
            dates_in_order(
                "start_date", "end_date", checked="end_date", name="summits_summit_dates_in_order"
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if dates_out_of_order(self, "start_date", "end_date"):
            raise ValidationError({"end_date": _("The end date cannot be before the start date.")})

    @property
    def date(self):
        """The best single date for the meeting: its last day, else its first."""
        return self.end_date or self.start_date


class Report(SlugPage, TimeStampedModel):
    """A published document: a Report to Leaders, a statement, a release or a NACC report."""

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=400)
    kind = models.CharField(_("kind"), max_length=30, choices=ReportKind, default=ReportKind.OTHER)
    is_official = models.BooleanField(
        _("official"), null=True, blank=True, help_text=_("Issued by a government; empty when unknown.")
    )
    released_on = models.DateField(
        _("released on"), null=True, blank=True, help_text=_("Empty when unknown.")
    )
    covers_through = models.DateField(
        _("covers through"), null=True, blank=True, help_text=_("Last day of the period the report covers.")
    )
    summit = models.ForeignKey(
        Summit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("summit or ministerial"),
    )
    notes = models.TextField(_("notes"), blank=True)
    sources = models.ManyToManyField(Source, blank=True, related_name="reports", verbose_name=_("sources"))

    objects = SlugManager()
    detail_url_name = "summits:report_detail"

    class Meta:
        ordering = [F("released_on").asc(nulls_last=True), "slug"]
        verbose_name = _("report or statement")
        verbose_name_plural = _("reports and statements")
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=ReportKind.values), name="summits_report_valid_kind"),
            dates_in_order(
                "covers_through",
                "released_on",
                checked="covers_through",
                name="summits_report_covers_before_release",
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        if dates_out_of_order(self, "covers_through", "released_on"):
            raise ValidationError(
                {"covers_through": _("A report cannot cover a period that ends after its release date.")}
            )

    @property
    def as_of(self):
        """The date its statements describe: the end of the period covered, else the release date."""
        return self.covers_through or self.released_on

    @property
    def is_report_to_leaders(self):
        return self.kind == ReportKind.REPORT_TO_LEADERS
