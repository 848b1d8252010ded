"""The kinds of change between two days of the record: their names and their SQL, in one place.

Two sets, each a question analysts ask:

- the dashboard's **report comparison** (``comparison.py``; counted on write by ``state.PairCount``):
  every item is in one *status kind* (changed, new, unchanged, still without a status) and at most
  one *target kind* (slipped, targets set);
- the **changes page** (``changes.py``, its API): what happened between two days (put on the record,
  status changed, target moved or first in force, completed, dropped); an item may be in several.

Each condition is SQL over an item's status and target in force on the first and the second day
(``""`` when no status had been reported; NULL when no dated target was in force), given as column
names, so the write-side counters and the read-side lists classify with the same text.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .choices import IrritantStatus

# --- the report comparison -----------------------------------------------------------------------
CHANGED = "changed"
NEW = "new"
UNCHANGED = "unchanged"
STILL_WITHOUT_STATUS = "still_without_status"
SLIPPED = "slipped"
TARGETS_SET = "targets_set"
STATUS_KINDS = (CHANGED, NEW, UNCHANGED, STILL_WITHOUT_STATUS)  # every item is in exactly one
TARGET_KINDS = (SLIPPED, TARGETS_SET)  # an item is in at most one
COMPARISON_KINDS = STATUS_KINDS + TARGET_KINDS


def status_kind_sql(before, after):
    """SQL: the status kind of an item whose status was ``before`` and is ``after`` (columns)."""
    return (
        f"CASE WHEN {before} = '' AND {after} = '' THEN '{STILL_WITHOUT_STATUS}' "
        f"WHEN {before} = '' THEN '{NEW}' WHEN {before} = {after} THEN '{UNCHANGED}' ELSE '{CHANGED}' END"
    )


def targets_set_sql(before, after):
    """SQL: no dated target was in force (``before``), one is (``after``)."""
    return f"{before} IS NULL AND {after} IS NOT NULL"


def target_kind_sql(before, after):
    """SQL: the target kind ('' for none) of an item whose dated target was ``before``, is ``after``
    (``slips.TargetSlip`` keeps the slipped ones by the same rule: both dated, the second later)."""
    return (
        f"CASE WHEN {targets_set_sql(before, after)} THEN '{TARGETS_SET}' "
        f"WHEN {before} IS NOT NULL AND {after} IS NOT NULL AND {after} > {before} THEN '{SLIPPED}' "
        "ELSE '' END"
    )


# --- the changes page ----------------------------------------------------------------------------
@dataclass(frozen=True)
class ChangeKind:
    key: str
    label: str
    condition: str  # SQL over the columns of changes.compared(): true for the items of this kind


def _status_is(status):
    return f"to_status = '{status}'"


# Portable SQL, no parameters: every column is non-NULL except the two dates, which the conditions
# test explicitly.
CHANGE_KINDS = [
    # Nothing about the item was dated on or before the start; something was in the window.
    ChangeKind(
        "added", _("Put on the record"), "NOT status_before AND NOT deadline_before AND report_after_start"
    ),
    ChangeKind("status_changed", _("Status changed"), "from_status <> to_status"),
    # to another date, or to an undated target ("by fall 2008")
    ChangeKind(
        "target_moved", _("Target moved"), "from_due IS NOT NULL AND (to_due IS NULL OR from_due <> to_due)"
    ),
    ChangeKind(
        "target_set",
        _("Dated target first in force"),
        targets_set_sql("from_due", "to_due"),
    ),
    ChangeKind(
        "completed",
        _("Completed"),
        f"{_status_is(IrritantStatus.COMPLETED)} AND from_status <> '{IrritantStatus.COMPLETED}'",
    ),
    ChangeKind(
        "dropped",
        _("Dropped"),
        f"{_status_is(IrritantStatus.DROPPED)} AND from_status NOT IN "
        f"('{IrritantStatus.COMPLETED}', '{IrritantStatus.DROPPED}')",
    ),
]
