"""What the agenda's models share: the edit counter (``Versioned``), field-level history, natural-key
managers and the fields every cited row declares the same way (the stating report, the sources, the
confidence). One declaration each, so the models read as what differs between them."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from summits.models import Report, Source

from .choices import Confidence


class Versioned(models.Model):
    """A row staff edit: ``version`` goes up on every save, so a stale form can be refused."""

    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            self.version += 1
        super().save(*args, **kwargs)


class NaturalKeyManager(models.Manager):
    """``get_by_natural_key`` (loaddata) from the lookups listed in ``natural_key_lookups``."""

    natural_key_lookups = ("ref",)

    def get_by_natural_key(self, *key):
        return self.get(**dict(zip(self.natural_key_lookups, key, strict=True)))


def record_history(*excluded):
    """Field-level history (django-simple-history) of a row staff edit, without the timestamps (and
    without ``excluded``: columns the database derives)."""
    return HistoricalRecords(excluded_fields=["created_at", "updated_at", *excluded])


def optional_link(to, related_name, verbose_name, **options):
    """An optional foreign key that never deletes what it points at (``PROTECT``)."""
    return models.ForeignKey(
        to,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name=related_name,
        verbose_name=verbose_name,
        **options,
    )


def stating_report(related_name, verbose_name, **options):
    """The report (``summits.Report``) that set or stated a row, when the record names one."""
    return optional_link(Report, related_name, verbose_name, **options)


def cited_sources(related_name):
    """The sources a row was read from."""
    return models.ManyToManyField(Source, blank=True, related_name=related_name, verbose_name=_("sources"))


def confidence_field(**options):
    """How sure the record is of a row (verbatim, inferred...)."""
    return models.CharField(_("confidence"), max_length=20, choices=Confidence, **options)
