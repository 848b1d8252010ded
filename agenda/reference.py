"""Reference data of the work programme: the two agendas, the working groups and who leads them, the
signature initiatives, and the NACC's recommendations and topics. Imported by models.py (Django
finds the models there); import them from ``agenda.models``."""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from summits.models import Country, SlugManager, TimeStampedModel

from .choices import AgendaSlug, LeadLevel
from .model_bases import NaturalKeyManager, cited_sources, stating_report


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
    sources = cited_sources("working_groups")

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


class LeadDepartmentManager(NaturalKeyManager):
    natural_key_lookups = ("working_group__slug", "country__code")


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


class NaccRecommendation(TimeStampedModel):
    """A recommendation of the North American Competitiveness Council (NACC) to the leaders."""

    ref = models.SlugField(_("reference"), max_length=30, unique=True)
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.TextField(_("recommendation"))
    horizon = models.PositiveSmallIntegerField(_("horizon year"), null=True, blank=True)
    report = stating_report("nacc_recommendations", _("report"))
    irritants = models.ManyToManyField(
        "agenda.Irritant",
        blank=True,
        related_name="nacc_recommendations",
        verbose_name=_("related irritants"),
    )
    sources = cited_sources("nacc_recommendations")

    objects = NaturalKeyManager()

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


class NaccTopicManager(NaturalKeyManager):
    natural_key_lookups = ("category", "topic")


class NaccTopic(models.Model):
    """A topic the NACC named for its later recommendations (2008 and 2010)."""

    category = models.CharField(_("category"), max_length=200)
    topic = models.CharField(_("topic"), max_length=300)
    horizons = models.JSONField(_("horizon years"), default=list, blank=True)
    sources = cited_sources("nacc_topics")

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
