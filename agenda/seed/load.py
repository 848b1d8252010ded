"""Loading the built fixtures into the database: all or nothing, rows already there left alone
unless ``update``, derived fields refreshed once per touched item at the end."""

import json
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.core import serializers
from django.db import transaction

from .. import signals
from .build import FIXTURE_FILES


@dataclass
class LoadResult:
    created: dict = field(default_factory=dict)
    updated: dict = field(default_factory=dict)
    unchanged: dict = field(default_factory=dict)

    def count(self, bucket, label):
        getattr(self, bucket)[label] = getattr(self, bucket).get(label, 0) + 1


SEED_CHANGE_REASON = "seed"  # history_change_reason of the rows the seed load writes


@transaction.atomic
def load(fixture_dir, *, update=False) -> LoadResult:
    """Load the seed fixtures; all or nothing. Existing rows are kept as they are unless ``update``."""
    from ..models import RecordVersion

    result = LoadResult()
    with RecordVersion.bumps_deferred(), signals.refresh_collected(), _natural_keys_cached():
        for name in FIXTURE_FILES:
            links = defaultdict(list)  # (model, field) -> [(instance pk, related pks)] for new rows
            path = Path(fixture_dir) / name
            with path.open(encoding="utf-8") as handle:
                entries = json.load(handle)
            objects = serializers.deserialize("python", entries, handle_forward_references=False)
            for entry, item in zip(entries, objects, strict=True):
                instance = item.object
                label = instance._meta.label
                exists = instance.pk is not None
                if exists and not update:
                    result.count("unchanged", label)
                    continue
                instance._change_reason = SEED_CHANGE_REASON  # history says where the row came from
                # A normal save (not loaddata's raw one) so timestamps and history are written;
                # derived fields are refreshed once per item at the end (refresh_collected) rather
                # than after every row.
                instance.save(update_fields=_stated_fields(instance, entry) if exists else None)
                for field_name, values in (item.m2m_data or {}).items():
                    if exists:
                        getattr(instance, field_name).set(values)
                    else:
                        links[(type(instance), field_name)].append((instance.pk, values))
                result.count("updated" if exists else "created", label)
            _add_links(links)
    return result


def _stated_fields(instance, entry):
    """What an update writes to an existing row: the fields its fixture entry states (not the
    many-to-many ones, set apart), and what every save keeps current; the rest of the row (its
    creation time, say) is not the fixture's to overwrite."""
    opts = instance._meta
    stated = [name for name in entry["fields"] if not opts.get_field(name).many_to_many]
    kept_current = [f.name for f in opts.concrete_fields if f.name in ("version", "updated_at")]
    return [*stated, *kept_current]


@contextmanager
def _natural_keys_cached():
    """Resolve each natural key once per load (the fixtures cite the same sources, reports and
    items over and over); a key not found yet is looked up again, as the load may create it."""
    managers = {type(model._default_manager) for model in apps.get_models() if model._meta.app_label in
                ("agenda", "summits") and hasattr(model._default_manager, "get_by_natural_key")}  # fmt: skip
    originals = {manager: manager.get_by_natural_key for manager in managers}
    found = {}

    def cached(original):
        def get_by_natural_key(self, *key):
            cache_key = (self.model, key)
            if cache_key not in found:
                found[cache_key] = original(self, *key)
            return found[cache_key]

        return get_by_natural_key

    for manager, original in originals.items():
        manager.get_by_natural_key = cached(original)
    try:
        yield
    finally:
        for manager, original in originals.items():
            manager.get_by_natural_key = original


def _add_links(links):
    """Many-to-many rows of newly created objects, in one insert per relation."""
    for (model, field_name), rows in links.items():
        field = model._meta.get_field(field_name)
        through = field.remote_field.through
        source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
        through.objects.bulk_create(
            [
                through(**{f"{source}_id": pk, f"{target}_id": other})
                for pk, values in rows
                for other in values
            ]
        )
