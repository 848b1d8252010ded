"""The one rule that derives an irritant's category (early harvest / big impact / long term).

No source assigns the three categories to items. The June 2005 Report to Leaders set them by how far
off an item's target completion was: early harvest items were achieved or due soon after the report,
big impact items within a few years, long-term items later. So:

1. Base: the Report to Leaders that set the item's *original* target (its first deadline); when the
   item has no target, the Report to Leaders that put the item on the record.
   Items whose base is not a Report to Leaders stay unclassified: the categories are that report's.
2. With a dated original target, count whole calendar months from the base report's release to the
   target: up to EARLY_HARVEST_MONTHS is early harvest, up to BIG_IMPACT_MONTHS big impact, beyond
   that long term.
3. Without a dated target, an item reported completed within EARLY_HARVEST_MONTHS of the base
   report's release is early harvest (achieved soon after the report); anything else stays
   unclassified.

Staff can override the result (basis "set by staff"); a category stated by a source has basis
"stated". Neither is ever replaced by the rule.
"""

from datetime import date

from summits.choices import ReportKind

from .choices import IrritantCategory

EARLY_HARVEST_MONTHS = 12
BIG_IMPACT_MONTHS = 36


def months_between(start: date, end: date) -> int:
    """Whole calendar months from start's month to end's month (June 2005 -> June 2006 is 12)."""
    return (end.year - start.year) * 12 + (end.month - start.month)


def _base_date(set_by):
    """The release date of a Report to Leaders, given as (kind, released_on); None for anything else."""
    if set_by is None:
        return None
    kind, released_on = set_by
    return released_on if kind == ReportKind.REPORT_TO_LEADERS else None


def derive_category(*, has_target, target_set_by, original_due, item_set_by, first_completed_on):
    """Return an IrritantCategory value, or None when the record gives no basis.

    ``has_target``: the item has at least one deadline; ``target_set_by``: (kind, released_on) of the
    report that set its first deadline (None if none did); ``original_due``: that deadline's date;
    ``item_set_by``: the same for the report that put the item on the record; ``first_completed_on``:
    the earliest date it was reported completed.
    """
    base = _base_date(target_set_by if has_target else item_set_by)
    if base is None:
        return None
    if has_target and original_due is not None:
        months = months_between(base, original_due)
        if months <= EARLY_HARVEST_MONTHS:
            return IrritantCategory.EARLY_HARVEST
        if months <= BIG_IMPACT_MONTHS:
            return IrritantCategory.BIG_IMPACT
        return IrritantCategory.LONG_TERM
    if first_completed_on is not None and months_between(base, first_completed_on) <= EARLY_HARVEST_MONTHS:
        return IrritantCategory.EARLY_HARVEST
    return None
