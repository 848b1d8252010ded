"""Derived values follow every write: receivers that fire for each row (see the models module).

An irritant's stored current status, targets and derived category are recomputed whenever a row
they are derived from is saved or deleted: the irritant itself, its deadlines and status reports,
and a report whose kind or date the category rule reads. Django sends ``post_save`` for every
``save()`` (admin change/add/revert, services, shell) and ``post_delete`` for every row of a
``QuerySet.delete()`` (the admin's "delete selected", cascades), so no path can skip it.

A change to an item's countries (``m2m_changed``, after the admin saved the item itself) refreshes
it too: the dashboard counts items per country from the state history.

Bulk writers that bypass signals (``bulk_create``/``bulk_update`` in the CSV import and the seed,
``QuerySet.update()``, raw SQL) call ``IrritantQuerySet.refresh_derived()`` themselves, once for
every item they touched; ``manage.py refresh_derived`` repairs anything written behind Django's back.
Every path ends in ``services.irritants_refresh()``, the one function that writes derived values.

One write, one refresh: inside ``refresh_collected()`` the receivers only note the items, which are
refreshed once when it ends, with one new record version. ``WriteRequestMiddleware`` opens it, in a
transaction, around every write request (an admin save of an item with its inline rows and countries,
a delete, a revert), so the refresh is part of the write's transaction. Outside it (the shell,
services, tests) each save refreshes at once.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.db import transaction
from django.db.models import Q

_collected = ContextVar("spp_derived_refresh_collected", default=None)


@contextmanager
def refresh_collected():
    """The items written inside are refreshed once, on leaving (in the caller's transaction), and
    the record version changes once; nothing is refreshed if the block raises."""
    from .models import RecordVersion
    from .services import irritants_refresh

    if _collected.get() is not None:  # an outer block refreshes
        yield
        return
    ids = set()
    reset = _collected.set(ids)
    try:
        with RecordVersion.bumps_deferred():
            yield
            if ids:
                irritants_refresh(ids)
    finally:
        _collected.reset(reset)


class WriteRequestMiddleware:
    """A write request (any method but GET, HEAD, OPTIONS) runs in one transaction, and the items it
    wrote are refreshed once before it commits (``refresh_collected``)."""

    READS = ("GET", "HEAD", "OPTIONS")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in self.READS:
            return self.get_response(request)
        with transaction.atomic(), refresh_collected():
            return self.get_response(request)


def _refresh(irritant_ids):
    from .services import irritants_refresh

    ids = [pk for pk in irritant_ids if pk is not None]
    if not ids:
        return
    collected = _collected.get()
    if collected is not None:
        collected.update(ids)
    else:
        irritants_refresh(ids)


def irritant_saved(sender, instance, raw=False, **kwargs):
    if raw:
        # loaddata: the dump brings the derived rows; its countries (set next) must not refresh
        instance._loaded_raw = True
    else:
        _refresh([instance.pk])


def irritant_deleted(sender, instance, **kwargs):
    """The item leaves the dashboard's state history and counters (a queryset delete sends this
    for every row)."""
    from .services import irritants_forget

    irritants_forget([instance.pk])


def child_written(sender, instance, raw=False, origin=None, **kwargs):
    """A deadline or status report saved or deleted (one call per row, queryset deletes included)."""
    from .models import Irritant

    if raw or getattr(origin, "model", type(origin)) is Irritant:
        return  # loaddata's raw save; or the item itself is being deleted with its rows
    _refresh([instance.irritant_id])


def report_saved(sender, instance, raw=False, **kwargs):
    """The category rule reads the kind and release date of the report that set an item's first
    target or put it on the record: re-derive the items that cite this report."""
    if raw:
        return
    from .models import Irritant

    citing = Irritant.objects.filter(Q(report=instance) | Q(deadlines__report=instance))
    _refresh(list(citing.values_list("pk", flat=True).distinct()))


def countries_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """An item's countries changed (from either side of the relation)."""
    if getattr(instance, "_loaded_raw", False):
        return  # loaddata setting a loaded item's countries (see irritant_saved)
    if reverse and action == "pre_clear":  # a country's items cleared: remember which they were
        instance._cleared_irritants = list(instance.irritants.values_list("pk", flat=True))
    elif action in ("post_add", "post_remove", "post_clear"):
        if not reverse:
            _refresh([instance.pk])
        else:
            _refresh(pk_set or getattr(instance, "_cleared_irritants", []))


def connect():
    from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete

    from summits.models import Report

    from .models import Deadline, Irritant, StatusReport

    post_save.connect(irritant_saved, sender=Irritant, dispatch_uid="agenda.derived.irritant")
    pre_delete.connect(irritant_deleted, sender=Irritant, dispatch_uid="agenda.derived.irritant_deleted")
    for model in (Deadline, StatusReport):
        for signal in (post_save, post_delete):
            signal.connect(
                child_written, sender=model, dispatch_uid=f"agenda.derived.{model.__name__}.{id(signal)}"
            )
    post_save.connect(report_saved, sender=Report, dispatch_uid="agenda.derived.report")
    m2m_changed.connect(
        countries_changed, sender=Irritant.countries.through, dispatch_uid="agenda.derived.countries"
    )
