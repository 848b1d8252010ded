"""The SPP work programme: agendas, working groups, irritants and their targets and statuses.

Glossary (the words the code uses):

- **Irritant** (model ``Irritant``) = **item** (pages, CSV) = **initiative** (the SPP's own word in
  its reports): one line of the work plan, with a ``ref`` such as ``P-MS-01``. The code says
  irritant; pages say item.
- **Status report** (``StatusReport``): one statement of an item's status on a day (``as_of``),
  for all countries or one, citing the **report** that stated it. A **report** (``summits.Report``)
  is a published document (a Report to Leaders, a joint statement). In templates, ``report`` is
  the document; a status report is ``status_report`` or ``sr``.
- **Target** = ``Deadline``: a due date (or an undated wording) set on a day by a report; the
  target *in force* is the latest one set; the *original* is the first dated one.
- **Stored ``current_*`` / ``due_on`` / ``original_due_on``** on the irritant: today's derived
  values, kept by receivers (below). **As-of ``state_*``** (``IrritantQuerySet.with_state(as_of)``):
  the same values computed for any past day; without a date they are the stored columns.

How the record stays consistent (STYLE.md §2; issue 8):

- **Derived values: receivers, not services.** An irritant's current status, its latest and original
  target and its derived category are stored on the irritant (so lists filter and sort on indexed
  columns). They are recomputed by receivers in ``agenda/signals.py`` on ``post_save`` of an irritant,
  deadline, status report or report and on ``post_delete`` of a deadline or status report. Django
  sends those for every ``save()`` and for every row of a ``QuerySet.delete()``, so the admin's change,
  add, History revert and "delete selected", the services, the shell and cascades all pass through
  them without each having to remember a call. We chose receivers over one services module because
  the admin's bulk paths (``delete_queryset``, revert) and Django's cascades call no service.
  Bulk writers that bypass signals (the CSV import, the seed: ``bulk_create``/``bulk_update``) call
  ``IrritantQuerySet.refresh_derived()`` for every item they touched; ``manage.py refresh_derived``
  repairs the stored values after raw SQL.
- **Natural keys are database constraints.** An irritant's ``ref``; a status report's (item, as of,
  country, stating report); a deadline's (item, set on, wording, setting report). The CSV import
  matches rows on the same keys inside its write transaction, so two imports at once never duplicate
  a row, and a clash with another writer becomes a message.
- **Single-row rules on the fields** (validators, ``Meta.constraints``, ``clean()``), which
  ``full_clean()`` runs for the admin and the import alike: e.g. plausible dates (``RECORD_BEGINS``).
"""

import datetime
import uuid
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from summits.models import Country, Report, SlugManager, Source, TimeStampedModel

from .choices import (
    AgendaSlug,
    CategoryBasis,
    Confidence,
    IrritantCategory,
    IrritantStatus,
    LeadLevel,
    LineageKind,
)
from .querysets import DeadlineQuerySet, IrritantQuerySet, LineageQuerySet, StatusReportQuerySet

# Plausible dates. The SPP was launched at Waco on 2005-03-23; nothing can be stated about its items
# earlier (the oldest status, target and report on the record are of June 2005; the Smart Border
# accords of 2001-2002 that some items continue are the items' background, not their record). A status
# or a target is stated on a day that has happened; a target date lies at most until the end of 2030
# (the latest on the record is 2008-12-31 and the furthest horizon any SPP document names is 2010:
# this leaves room for long-term goals and still refuses typos such as 2106 or 9999).
RECORD_BEGINS = datetime.date(2005, 3, 23)
LATEST_TARGET = datetime.date(2030, 12, 31)


def validate_stated_on(value):
    """A day something was stated or held: between the SPP's launch and today."""
    today = timezone.localdate()
    if value < RECORD_BEGINS or value > today:
        raise ValidationError(
            _(
                "%(value)s is not plausible: the SPP began on %(begins)s, so a status or target is stated "
                "between then and today (%(today)s)."
            ),
            code="implausible_date",
            params={
                "value": value.isoformat(),
                "begins": RECORD_BEGINS.isoformat(),
                "today": today.isoformat(),
            },
        )


def validate_target_date(value):
    """A target date: from the SPP's launch to the end of LATEST_TARGET's year."""
    if value < RECORD_BEGINS or value > LATEST_TARGET:
        raise ValidationError(
            _(
                "%(value)s is not plausible for a target: give a date between %(begins)s (the SPP's "
                "launch) and %(latest)s."
            ),
            code="implausible_date",
            params={
                "value": value.isoformat(),
                "begins": RECORD_BEGINS.isoformat(),
                "latest": LATEST_TARGET.isoformat(),
            },
        )


def slippage_days(due, original):
    """Slippage: whole days a target ``due`` lies after the ``original`` one (negative when brought
    forward, 0 when it never moved), None when either is undated. The exports, the API, the pages
    and ``Irritant.slippage_days`` use this; the PostgreSQL COPY path says it in SQL (pg_copy.py)."""
    return (due - original).days if due and original else None


class Versioned(models.Model):
    """A row staff edit: ``version`` goes up on every save, so a stale form can be refused."""

    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            self.version += 1
        super().save(*args, **kwargs)


class Agenda(models.Model):
    """One of the two SPP agendas: Prosperity or Security."""

    slug = models.SlugField(_("slug"), max_length=20, choices=AgendaSlug, unique=True)

    objects = SlugManager()

    class Meta:
        ordering = ["slug"]
        verbose_name = _("agenda")
        verbose_name_plural = _("agendas")
        constraints = [
            models.CheckConstraint(condition=Q(slug__in=AgendaSlug.values), name="agenda_agenda_valid_slug"),
        ]

    def __str__(self):
        return str(self.name)

    def natural_key(self):
        return (self.slug,)

    @property
    def name(self):
        return self.get_slug_display()


class WorkingGroup(TimeStampedModel):
    """A trilateral working group, co-chaired by officials of the three countries."""

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200, unique=True)
    agenda = models.ForeignKey(
        Agenda, on_delete=models.PROTECT, related_name="working_groups", verbose_name=_("agenda")
    )
    sources = models.ManyToManyField(
        Source, blank=True, related_name="working_groups", verbose_name=_("sources")
    )

    objects = SlugManager()

    class Meta:
        ordering = ["agenda__slug", "name"]
        verbose_name = _("working group")
        verbose_name_plural = _("working groups")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("agenda:working_group_detail", args=[self.slug])

    def natural_key(self):
        return (self.slug,)


class LeadDepartmentManager(models.Manager):
    def get_by_natural_key(self, working_group_slug, country_code):
        return self.get(working_group__slug=working_group_slug, country__code=country_code)


class LeadDepartment(models.Model):
    """The department that leads a working group for one country, as far as the record tells."""

    working_group = models.ForeignKey(
        WorkingGroup, on_delete=models.CASCADE, related_name="leads", verbose_name=_("working group")
    )
    country = models.ForeignKey(
        Country, on_delete=models.PROTECT, related_name="lead_departments", verbose_name=_("country")
    )
    department = models.CharField(_("department"), max_length=300)
    level = models.CharField(
        _("level"),
        max_length=10,
        choices=LeadLevel,
        help_text=_("Agenda-level: the record names only the department leading the whole agenda."),
    )
    note = models.CharField(_("note"), max_length=500, blank=True)

    objects = LeadDepartmentManager()

    class Meta:
        ordering = ["working_group", "country__code"]
        verbose_name = _("lead department")
        verbose_name_plural = _("lead departments")
        constraints = [
            models.UniqueConstraint(fields=["working_group", "country"], name="agenda_leaddepartment_unique"),
            models.CheckConstraint(
                condition=Q(level__in=LeadLevel.values), name="agenda_leaddepartment_valid_level"
            ),
        ]

    def __str__(self):
        return f"{self.working_group} / {self.country.code}: {self.department}"

    def natural_key(self):
        return (self.working_group.slug, self.country.code)

    natural_key.dependencies = ["agenda.workinggroup", "summits.country"]


class SignatureInitiative(models.Model):
    """A flagship initiative that groups related irritants (the SPP's "signature initiatives")."""

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200, unique=True)
    agenda = models.ForeignKey(
        Agenda, on_delete=models.PROTECT, related_name="signature_initiatives", verbose_name=_("agenda")
    )
    basket = models.CharField(_("basket"), max_length=200, blank=True)

    objects = SlugManager()

    class Meta:
        ordering = ["agenda__slug", "basket", "name"]
        verbose_name = _("signature initiative")
        verbose_name_plural = _("signature initiatives")

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)


class IrritantManager(models.Manager.from_queryset(IrritantQuerySet)):
    def get_by_natural_key(self, ref):
        return self.get(ref=ref)


class Irritant(Versioned, TimeStampedModel):
    """An item of the SPP work plans (the record calls them initiatives; users call them irritants)."""

    ref = models.SlugField(
        _("reference"), max_length=30, unique=True, help_text=_("Stable identifier, e.g. P-MG-01 or S-TS-04.")
    )
    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("summary"), blank=True)
    agenda = models.ForeignKey(
        Agenda, on_delete=models.PROTECT, related_name="irritants", verbose_name=_("agenda")
    )
    working_group = models.ForeignKey(
        WorkingGroup,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="irritants",
        verbose_name=_("working group"),
        help_text=_("Empty when the record does not say which group carried it."),
    )
    countries = models.ManyToManyField(
        Country,
        blank=True,
        related_name="irritants",
        verbose_name=_("countries"),
        help_text=_("Countries taking part; empty when the record does not say."),
    )
    signature_initiative = models.ForeignKey(
        SignatureInitiative,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="irritants",
        verbose_name=_("signature initiative"),
    )
    report = models.ForeignKey(
        Report,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="irritants",
        verbose_name=_("set or reported by"),
        help_text=_("The report that put the item on the record."),
    )
    category = models.CharField(_("category"), max_length=20, choices=IrritantCategory, blank=True)
    category_basis = models.CharField(
        _("category basis"), max_length=20, choices=CategoryBasis, default=CategoryBasis.UNCLASSIFIED
    )
    confidence = models.CharField(_("confidence"), max_length=20, choices=Confidence)
    sources = models.ManyToManyField(Source, blank=True, related_name="irritants", verbose_name=_("sources"))

    # Derived from deadlines and status reports by refresh_derived(); never edited by hand.
    current_status = models.CharField(
        _("current status"), max_length=20, choices=IrritantStatus, blank=True, editable=False
    )
    current_status_on = models.DateField(_("status date"), null=True, blank=True, editable=False)
    due_on = models.DateField(_("latest target"), null=True, blank=True, editable=False)
    original_due_on = models.DateField(_("original target"), null=True, blank=True, editable=False)

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])
    objects = IrritantManager()

    class Meta:
        ordering = ["ref"]
        verbose_name = _("irritant")
        verbose_name_plural = _("irritants")
        constraints = [
            models.CheckConstraint(
                condition=Q(category__in=[*IrritantCategory.values, ""]),
                name="agenda_irritant_valid_category",
            ),
            models.CheckConstraint(
                condition=Q(category_basis__in=CategoryBasis.values),
                name="agenda_irritant_valid_category_basis",
            ),
            models.CheckConstraint(
                condition=(Q(category="") & Q(category_basis=CategoryBasis.UNCLASSIFIED))
                | (~Q(category="") & ~Q(category_basis=CategoryBasis.UNCLASSIFIED)),
                name="agenda_irritant_category_has_basis",
            ),
            models.CheckConstraint(
                condition=Q(current_status__in=[*IrritantStatus.values, ""]),
                name="agenda_irritant_valid_status",
            ),
            models.CheckConstraint(
                condition=Q(confidence__in=Confidence.values), name="agenda_irritant_valid_confidence"
            ),
        ]
        indexes = [
            # The analyst list filters and sorts on these; ref and the foreign keys have their own.
            models.Index(fields=["current_status", "ref"], name="agenda_irr_status_idx"),
            models.Index(fields=["category", "ref"], name="agenda_irr_category_idx"),
            models.Index(fields=["due_on", "ref"], name="agenda_irr_due_idx"),
        ]

    def __str__(self):
        return f"{self.ref}: {self.title}"

    def get_absolute_url(self):
        return reverse("agenda:irritant_detail", args=[self.ref])

    def natural_key(self):
        return (self.ref,)

    def clean(self):
        if self.working_group_id and self.agenda_id and self.working_group.agenda_id != self.agenda_id:
            raise ValidationError(
                {
                    "working_group": _(
                        "%(group)s belongs to the %(agenda)s agenda; pick a group of this agenda."
                    )
                    % {"group": self.working_group, "agenda": self.working_group.agenda}
                }
            )
        if (
            self.signature_initiative_id
            and self.agenda_id
            and self.signature_initiative.agenda_id != self.agenda_id
        ):
            raise ValidationError(
                {"signature_initiative": _("This signature initiative belongs to the other agenda.")}
            )
        if self.category_basis == CategoryBasis.UNCLASSIFIED and self.category:
            raise ValidationError({"category_basis": _("A category needs a basis; choose 'Set by staff'.")})
        if self.category_basis in (CategoryBasis.STAFF, CategoryBasis.STATED) and not self.category:
            raise ValidationError({"category": _("Choose a category, or set the basis back to derived.")})

    def countries_change_error(self, codes):
        """Why this item may not take the countries ``codes`` (None when it may): a country that
        has its own status reports on the item cannot be removed from it. The admin form and the
        import ask this before any write."""
        if self.pk is None:
            return None
        removed = set(self.countries.values_list("code", flat=True)) - set(codes)
        orphans = list(
            self.status_reports.filter(country__code__in=removed)
            .select_related("country")
            .order_by("as_of", "pk")
        )
        if not orphans:
            return None
        return _(
            "%(countries)s cannot be removed: it has its own status reports on this item (%(reports)s). "
            "Delete or change those status reports first."
        ) % {
            "countries": ", ".join(sorted({r.country.code for r in orphans})),
            "reports": "; ".join(str(r) for r in orphans),
        }

    def category_label(self, *, staff=False):
        """The category as shown: "Unclassified" when none; "Early harvest (derived)" when the rule
        set it (always said); with ``staff`` (the admin), "(set by staff)" when staff set it."""
        if not self.category:
            return _("Unclassified")
        label = self.get_category_display()
        if self.category_basis == CategoryBasis.DERIVED:
            return _("%(category)s (derived)") % {"category": label}
        if staff and self.category_basis == CategoryBasis.STAFF:
            return _("%(category)s (set by staff)") % {"category": label}
        return label

    @property
    def is_closed(self):
        return self.current_status in IrritantStatus.closed()

    @property
    def slippage_days(self):
        """How many days the latest target lies past the original one (0 when it never moved)."""
        return slippage_days(self.due_on, self.original_due_on)

    def is_overdue(self, today):
        """``querysets.overdue_condition`` for this stored row (the admin's column)."""
        return bool(self.due_on and self.due_on < today and not self.is_closed)

    def refresh_derived(self):
        """Recompute current status, targets and derived category from the rows that state them
        (the queryset method does the work, for one item or a million), and reload them here."""
        Irritant.objects.filter(pk=self.pk).refresh_derived()
        self.refresh_from_db(fields=DERIVED_FIELDS)


DERIVED_FIELDS = [
    "current_status",
    "current_status_on",
    "due_on",
    "original_due_on",
    "category",
    "category_basis",
]


class ChildOfIrritant(Versioned, TimeStampedModel):
    """A dated fact about an irritant; writing or deleting one refreshes the irritant's derived fields
    (agenda/signals.py)."""

    uid = models.UUIDField(_("identifier"), default=uuid.uuid4, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    confidence = models.CharField(
        _("confidence"), max_length=20, choices=Confidence, default=Confidence.VERBATIM
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        abstract = True

    def natural_key(self):
        return (str(self.uid),)


class ByUid:
    """Natural key of dated facts: their stable identifier."""

    def get_by_natural_key(self, uid):
        return self.get(uid=uid)


class DeadlineManager(ByUid, models.Manager.from_queryset(DeadlineQuerySet)):
    pass


class Deadline(ChildOfIrritant):
    """A target date an irritant was given. A moved target is a new row; earlier ones stay."""

    irritant = models.ForeignKey(
        Irritant, on_delete=models.CASCADE, related_name="deadlines", verbose_name=_("irritant")
    )
    set_on = models.DateField(
        _("set on"),
        validators=[validate_stated_on],
        help_text=_("When the target was set (the setting report's date)."),
    )
    target_text = models.CharField(
        _("target as worded"), max_length=300, blank=True, help_text=_('As printed, e.g. "by June 2006".')
    )
    due_on = models.DateField(
        _("due on"),
        null=True,
        blank=True,
        validators=[validate_target_date],
        help_text=_("Month and year: last day of the month; year only: 31 December; a season: empty."),
    )
    report = models.ForeignKey(
        Report,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deadlines",
        verbose_name=_("set by"),
    )
    sources = models.ManyToManyField(Source, blank=True, related_name="deadlines", verbose_name=_("sources"))

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])
    objects = DeadlineManager()

    class Meta:
        ordering = ["irritant", "set_on", "pk"]
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")
        constraints = [
            models.CheckConstraint(
                condition=~Q(target_text="") | Q(due_on__isnull=False), name="agenda_deadline_has_target"
            ),
            models.CheckConstraint(
                condition=Q(due_on__isnull=True) | Q(due_on__gte=F("set_on")),
                name="agenda_deadline_due_after_set",
            ),
            # The natural key the import matches on (a missing report counts as one value).
            models.UniqueConstraint(
                F("irritant"),
                F("set_on"),
                F("target_text"),
                Coalesce(F("report"), Value(0)),
                name="agenda_deadline_unique_target",
                violation_error_message=_(
                    "This item already has this target, set on this day by this report."
                ),
            ),
        ]
        indexes = [models.Index(fields=["due_on"], name="agenda_deadline_due_idx")]

    def __str__(self):
        target = self.target_text or self.due_on
        return f"{self.irritant.ref}: {target} (set {self.set_on})"

    def clean(self):
        if not self.target_text and not self.due_on:
            raise ValidationError(_("Give the target as worded, its date, or both."))
        if self.due_on and self.set_on and self.due_on < self.set_on:
            raise ValidationError({"due_on": _("A target cannot fall before the day it was set.")})


class StatusReportManager(ByUid, models.Manager.from_queryset(StatusReportQuerySet)):
    pass


class StatusReport(ChildOfIrritant):
    """The status of an irritant on a date, for all its countries or for one where they diverge."""

    irritant = models.ForeignKey(
        Irritant, on_delete=models.CASCADE, related_name="status_reports", verbose_name=_("irritant")
    )
    as_of = models.DateField(
        _("as of"), validators=[validate_stated_on], help_text=_("The date the status describes.")
    )
    status = models.CharField(_("status"), max_length=20, choices=IrritantStatus)
    country = models.ForeignKey(
        Country,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="status_reports",
        verbose_name=_("country"),
        help_text=_("Empty: the status holds for every country taking part."),
    )
    report = models.ForeignKey(
        Report,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="status_reports",
        verbose_name=_("stated by"),
    )
    sources = models.ManyToManyField(
        Source, blank=True, related_name="status_reports", verbose_name=_("sources")
    )

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])
    objects = StatusReportManager()

    class Meta:
        ordering = ["irritant", "as_of", "pk"]
        verbose_name = _("status report")
        verbose_name_plural = _("status reports")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=IrritantStatus.values), name="agenda_statusreport_valid_status"
            ),
            # The natural key the import matches on (a missing country or report counts as one value).
            models.UniqueConstraint(
                F("irritant"),
                F("as_of"),
                Coalesce(F("country"), Value(0)),
                Coalesce(F("report"), Value(0)),
                name="agenda_statusreport_unique_statement",
                violation_error_message=_(
                    "This item already has a status as of this day for this country and stating report; "
                    "change that one instead."
                ),
            ),
        ]
        indexes = [models.Index(fields=["irritant", "as_of"], name="agenda_status_asof_idx")]

    def __str__(self):
        where = f" ({self.country.code})" if self.country_id else ""
        return _("%(ref)s: %(status)s%(where)s as of %(day)s") % {
            "ref": self.irritant.ref,
            "status": self.get_status_display(),
            "where": where,
            "day": self.as_of,
        }

    # The sources a new or changed status will cite, when the writer knows them (the admin form and
    # the CSV import set this before clean(): the many-to-many field is written after the row).
    cited_sources = None

    def clean(self):
        errors = {}
        if self.country_id and self.irritant_id and self.irritant.pk:
            taking_part = {
                country.pk for country in self.irritant.countries.all()
            }  # prefetched by the import
            if taking_part and self.country_id not in taking_part:
                errors["country"] = _("%(country)s does not take part in this item.") % {
                    "country": self.country
                }
        if self.cited_sources is not None and not self.has_basis(self.cited_sources):
            errors["note"] = _(
                "Say on what basis the status changed: cite a source or the report, or write a note."
            )
        if errors:
            raise ValidationError(errors)

    def has_basis(self, sources):
        """A new status needs a basis: a source, the report that stated it, or a note."""
        return bool(sources or self.report_id or self.note)


class NaccRecommendationManager(models.Manager):
    def get_by_natural_key(self, ref):
        return self.get(ref=ref)


class NaccRecommendation(TimeStampedModel):
    """A recommendation of the North American Competitiveness Council (NACC) to the leaders."""

    ref = models.SlugField(_("reference"), max_length=30, unique=True)
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.TextField(_("recommendation"))
    horizon = models.PositiveSmallIntegerField(_("horizon year"), null=True, blank=True)
    report = models.ForeignKey(
        Report,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="nacc_recommendations",
        verbose_name=_("report"),
    )
    irritants = models.ManyToManyField(
        Irritant, blank=True, related_name="nacc_recommendations", verbose_name=_("related irritants")
    )
    sources = models.ManyToManyField(
        Source, blank=True, related_name="nacc_recommendations", verbose_name=_("sources")
    )

    objects = NaccRecommendationManager()

    class Meta:
        ordering = ["ref"]
        verbose_name = _("NACC recommendation")
        verbose_name_plural = _("NACC recommendations")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "number"], name="agenda_naccrecommendation_unique_number"
            ),
        ]

    def __str__(self):
        return f"{self.ref}: {self.text}"

    def natural_key(self):
        return (self.ref,)


class NaccTopicManager(models.Manager):
    def get_by_natural_key(self, category, topic):
        return self.get(category=category, topic=topic)


class NaccTopic(models.Model):
    """A topic the NACC named for its later recommendations (2008 and 2010)."""

    category = models.CharField(_("category"), max_length=200)
    topic = models.CharField(_("topic"), max_length=300)
    horizons = models.JSONField(_("horizon years"), default=list, blank=True)
    sources = models.ManyToManyField(
        Source, blank=True, related_name="nacc_topics", verbose_name=_("sources")
    )

    objects = NaccTopicManager()

    class Meta:
        ordering = ["category", "topic"]
        verbose_name = _("NACC topic")
        verbose_name_plural = _("NACC topics")
        constraints = [models.UniqueConstraint(fields=["category", "topic"], name="agenda_nacctopic_unique")]

    def __str__(self):
        return f"{self.category}: {self.topic}"

    def natural_key(self):
        return (self.category, self.topic)


class RecordVersion(models.Model):
    """A token that changes whenever the record does; pages whose numbers are cached key them on it,
    so what they show is always exact for the moment it is shown."""

    token = models.UUIDField(default=uuid.uuid4)

    class Meta:
        verbose_name = _("record version")

    def __str__(self):
        return str(self.token)

    @classmethod
    def current(cls):
        version, _created = cls.objects.get_or_create(pk=1)
        return version.token

    @classmethod
    def bump(cls, **kwargs):
        """A new token (inside the writer's transaction: readers see it when they see the data)."""
        if _bumps_deferred.get():
            return
        if not cls.objects.filter(pk=1).update(token=uuid.uuid4()):
            cls.objects.get_or_create(pk=1)

    @classmethod
    @contextmanager
    def bumps_deferred(cls):
        """For a bulk write: one new token at the end instead of one per row."""
        reset = _bumps_deferred.set(True)
        try:
            yield
        finally:
            _bumps_deferred.reset(reset)
        cls.bump()


_bumps_deferred = ContextVar("spp_record_version_bumps_deferred", default=False)


# --- The record across editions (agenda renewal) --------------------------------------------------
class LineageManager(models.Manager.from_queryset(LineageQuerySet)):
    def get_by_natural_key(self, ref, continues_ref, kind):
        return self.get(irritant__ref=ref, continues__ref=continues_ref, kind=kind)


class Lineage(Versioned, TimeStampedModel):
    """A link from an item to an earlier item it continues, as a later report or statement put it:
    carried forward, refined, merged, split, superseded or retired. It states nothing about either
    item's status or targets, so saving it refreshes no derived field."""

    irritant = models.ForeignKey(
        Irritant,
        on_delete=models.CASCADE,
        related_name="lineage_links",
        verbose_name=_("later item"),
        help_text=_("The item that continues an earlier one."),
    )
    continues = models.ForeignKey(
        Irritant,
        on_delete=models.CASCADE,
        related_name="successor_links",
        verbose_name=_("earlier item"),
        help_text=_("The earlier item it continues."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=LineageKind)
    report = models.ForeignKey(
        Report,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="lineage_links",
        verbose_name=_("stated by"),
        help_text=_("The report or statement whose wording states the continuation."),
    )
    confidence = models.CharField(
        _("confidence"), max_length=20, choices=Confidence, default=Confidence.VERBATIM
    )
    note = models.TextField(_("note"), blank=True)
    sources = models.ManyToManyField(
        Source, blank=True, related_name="lineage_links", verbose_name=_("sources")
    )

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])
    objects = LineageManager()

    class Meta:
        ordering = ["irritant__ref", "continues__ref", "kind"]
        verbose_name = _("lineage link")
        verbose_name_plural = _("lineage links")
        constraints = [
            models.CheckConstraint(
                condition=~Q(irritant=F("continues")),
                name="agenda_lineage_not_self",
                violation_error_message=_("An item cannot continue itself; pick an earlier item."),
            ),  # fmt: skip
            models.UniqueConstraint(
                fields=["irritant", "continues", "kind"],
                name="agenda_lineage_unique",
                violation_error_message=_("This link is already on the record."),
            ),  # fmt: skip
            models.CheckConstraint(
                condition=Q(kind__in=LineageKind.values), name="agenda_lineage_valid_kind"
            ),
            models.CheckConstraint(
                condition=Q(confidence__in=Confidence.values), name="agenda_lineage_valid_confidence"
            ),
        ]

    def __str__(self):
        return f"{self.continues.ref} → {self.irritant.ref}: {self.get_kind_display()}"

    def natural_key(self):
        return (self.irritant.ref, self.continues.ref, self.kind)

    natural_key.dependencies = ["agenda.irritant"]

    @property
    def stated_on(self):
        """The date of the statement that states the link (None when no dated report is cited)."""
        return self.report.as_of if self.report_id else None


class EditorGroup(models.Model):
    """The country a group of country editors edits for (roles.py). Data, not the group's name: an
    administrator may rename "Country editors (MX)" in the admin and its members keep their rights.
    ``roles.ensure_groups`` creates one linked group per country after every ``migrate``."""

    group = models.OneToOneField(
        "auth.Group",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="editor_group",
        verbose_name=_("group"),
    )
    country = models.OneToOneField(
        Country,
        on_delete=models.PROTECT,
        related_name="editor_group",
        verbose_name=_("edits for"),
        help_text=_("Members of this group add and change the items this country takes part in."),
    )

    class Meta:
        ordering = ["country__code"]
        verbose_name = _("country editors group")
        verbose_name_plural = _("country editors groups")

    def __str__(self):
        return f"{self.group.name} → {self.country.code}"
