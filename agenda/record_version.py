"""The record's version token: cached pages key their numbers on it. Imported by models.py; import
``RecordVersion`` from ``agenda.models``."""

import uuid
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import models
from django.utils.translation import gettext_lazy as _

_bumps_deferred = ContextVar("spp_record_version_bumps_deferred", default=None)


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
        deferred = _bumps_deferred.get()
        if deferred is not None:
            deferred.append(True)
            return
        if not cls.objects.filter(pk=1).update(token=uuid.uuid4()):
            cls.objects.get_or_create(pk=1)

    @classmethod
    @contextmanager
    def bumps_deferred(cls):
        """For a write of many rows: one new token at the end (if anything asked for one) instead of
        one per row; none if the block raises (its transaction is rolled back)."""
        if _bumps_deferred.get() is not None:  # an outer block bumps
            yield
            return
        asked = []
        reset = _bumps_deferred.set(asked)
        try:
            yield
        finally:
            _bumps_deferred.reset(reset)
        if asked:
            cls.bump()
