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

Where the models live (Django finds them all through this module; import them from here):
``Irritant`` and ``EditorGroup`` below; ``Deadline`` and ``StatusReport`` in dated_facts.py; the
reference data (``Agenda``, ``WorkingGroup``, ``LeadDepartment``, ``SignatureInitiative``, the NACC's)
in reference.py; ``Lineage`` in lineage.py; ``RecordVersion`` in record_version.py; what they share
(``Versioned``, history, the cited-row fields) in model_bases.py. The single-value rules (plausible
dates, slippage, overdue, a status's basis) are in rules.py, their SQL beside the querysets.

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

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from summits.models import Country, TimeStampedModel

from .choices import CategoryBasis, Confidence, GroupRole, IrritantCategory, IrritantStatus, Scope
from .dated_facts import ChildOfIrritant, Deadline, StatusReport
from .lineage import Lineage
from .model_bases import (
    NaturalKeyManager,
    Versioned,
    cited_sources,
    confidence_field,
    optional_link,
    record_history,
    stating_report,
)
from .querysets import IrritantQuerySet
from .record_version import RecordVersion
from .reference import (
    Agenda,
    LeadDepartment,
    NaccRecommendation,
    NaccTopic,
    SignatureInitiative,
    WorkingGroup,
)
from .rules import (
    LATEST_TARGET,
    RECORD_BEGINS,
    is_overdue,
    slippage_days,
    validate_stated_on,
    validate_target_date,
)
from .search import SearchDocument, SearchVectorField

__all__ = [
    "LATEST_TARGET",
    "RECORD_BEGINS",
    "Agenda",
    "ChildOfIrritant",
    "Deadline",
    "DERIVED_FIELDS",
    "EditorGroup",
    "Irritant",
    "LeadDepartment",
    "Lineage",
    "NaccRecommendation",
    "NaccTopic",
    "RecordVersion",
    "SignatureInitiative",
    "StatusReport",
    "Versioned",
    "WorkingGroup",
    "slippage_days",
    "validate_stated_on",
    "validate_target_date",
]


class IrritantManager(NaturalKeyManager.from_queryset(IrritantQuerySet)):
    def get_queryset(self):
        """Without the search document: only the database reads it (agenda/search.py)."""
        return super().get_queryset().defer("search_document")


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
    working_group = optional_link(
        WorkingGroup,
        "irritants",
        _("working group"),
        help_text=_("Empty when the record does not say which group carried it."),
    )
    countries = models.ManyToManyField(
        Country,
        blank=True,
        related_name="irritants",
        verbose_name=_("countries"),
        help_text=_("Countries taking part; empty when the record does not say."),
    )
    signature_initiative = optional_link(SignatureInitiative, "irritants", _("signature initiative"))
    report = stating_report(
        "irritants", _("set or reported by"), help_text=_("The report that put the item on the record.")
    )
    category = models.CharField(_("category"), max_length=20, choices=IrritantCategory, blank=True)
    category_basis = models.CharField(
        _("category basis"), max_length=20, choices=CategoryBasis, default=CategoryBasis.UNCLASSIFIED
    )
    confidence = confidence_field()
    sources = cited_sources("irritants")

    # Derived from deadlines and status reports by refresh_derived(); never edited by hand.
    current_status = models.CharField(
        _("current status"), max_length=20, choices=IrritantStatus, blank=True, editable=False
    )
    current_status_on = models.DateField(_("status date"), null=True, blank=True, editable=False)
    due_on = models.DateField(_("latest target"), null=True, blank=True, editable=False)
    original_due_on = models.DateField(_("original target"), null=True, blank=True, editable=False)
    # The countries taking part as bits (state.COUNTRY_BITS: CA 1, MX 2, US 4), kept with the other
    # derived values, so filters by country or scope read the item's row instead of joining the links.
    country_bits = models.PositiveSmallIntegerField(default=0, editable=False)
    # The words of ref, title and summary for the text search (agenda/search.py); PostgreSQL keeps it
    # in step on every write. Not shown, not exported, not versioned.
    search_document = models.GeneratedField(
        expression=SearchDocument(), output_field=SearchVectorField(), db_persist=True, serialize=False
    )

    history = record_history("search_document")
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
    def scope(self):
        """``choices.Scope`` of an item annotated with ``country_count`` (``with_scope()``), or None."""
        return Scope.of(self.country_count)

    def is_overdue(self, today):
        """``rules.is_overdue`` for this stored row (the admin's column)."""
        return is_overdue(due=self.due_on, status=self.current_status, day=today)

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
    "country_bits",
]


class EditorGroup(models.Model):
    """A group's role (roles.py): administrators, analysts, or the editors of one country. Data, not
    the group's name: an administrator may rename "Administrators" or "Country editors (MX)" in the
    admin and its members keep their rights. ``roles.ensure_groups`` links the role groups after
    every ``migrate``."""

    group = models.OneToOneField(
        "auth.Group",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="editor_group",
        verbose_name=_("group"),
    )
    role = models.CharField(_("role"), max_length=20, choices=GroupRole, default=GroupRole.COUNTRY_EDITORS)
    country = models.OneToOneField(
        Country,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="editor_group",
        verbose_name=_("edits for"),
        help_text=_("Members of this group add and change the items this country takes part in."),
    )

    class Meta:
        ordering = ["country__code"]
        verbose_name = _("country editors group")
        verbose_name_plural = _("country editors groups")
        constraints = [
            models.CheckConstraint(
                condition=Q(role=GroupRole.COUNTRY_EDITORS, country__isnull=False)
                | (~Q(role=GroupRole.COUNTRY_EDITORS) & Q(country__isnull=True)),
                name="agenda_editorgroup_country_iff_editors",
                violation_error_message=_("Country editors edit for one country; other roles for none."),
            ),
            models.CheckConstraint(
                condition=Q(role__in=GroupRole.values), name="agenda_editorgroup_valid_role"
            ),
        ]

    def __str__(self):
        target = self.country.code if self.country_id else self.get_role_display()
        return f"{self.group.name} → {target}"

    def clean(self):
        if self.role == GroupRole.COUNTRY_EDITORS and not self.country_id:
            raise ValidationError({"country": _("Country editors edit for one country; pick it.")})
        if self.role != GroupRole.COUNTRY_EDITORS and self.country_id:
            raise ValidationError({"country": _("Only country editors edit for a country; leave it empty.")})


from .slips import TargetSlip  # noqa: E402,F401  (slipped targets for the dashboard: agenda/slips.py)
from .state import ItemState, PairCount, StateCount  # noqa: E402,F401  (the dashboard's state history: agenda/state.py)
