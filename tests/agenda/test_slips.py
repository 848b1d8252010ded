"""The slipped-target rows (agenda/slips.py) stay exact after any sequence of writes (issue 11).

Hypothesis draws write sequences through every path (the same strategies as test_state_history.py);
after each, the rows must equal a rebuild from scratch, and for every pair of days the items they list
as slipped, and by how much, must equal a classification of every item from ``with_state()`` on both
days (the reference, computed in Python)."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agenda.models import Irritant, TargetSlip
from agenda.slips import matching, most_slipped, slips_insert

from .test_state_history import DAYS, apply, world, write  # noqa: F401  (world: the fixture)

pytestmark = pytest.mark.django_db

D = datetime.date
PROBE_DAYS = [D(2005, 1, 1), *DAYS, D(2006, 6, 14), D(2006, 9, 7), D(2009, 3, 2), D(2011, 1, 1)]


def slip_rows():
    fields = [
        "irritant_id",
        "ref",
        "from_start",
        "from_end",
        "to_start",
        "to_end",
        "from_due",
        "to_due",
        "days",
    ]
    return sorted(TargetSlip.objects.values_list(*fields))


def reference_slips(from_day, to_day):
    """{ref: days} of the items whose dated target in force on ``from_day`` was later on ``to_day``."""
    before = dict(Irritant.objects.on_record(from_day).with_state(from_day).values_list("ref", "state_due"))
    after = Irritant.objects.on_record(to_day).with_state(to_day).values_list("ref", "state_due")
    return {
        ref: (due - before[ref]).days
        for ref, due in after
        if due is not None and before.get(ref) is not None and due > before[ref]
    }


def check():
    for from_day in PROBE_DAYS:
        for to_day in PROBE_DAYS:
            if from_day > to_day:
                continue
            slips = matching(from_day, to_day).values_list("irritant__ref", "days")
            assert dict(slips) == reference_slips(from_day, to_day), (from_day, to_day)
            assert len(slips) == len(dict(slips))  # one row per item
    assert sorted(TargetSlip.objects.values_list("irritant__ref", flat=True)) == sorted(
        TargetSlip.objects.values_list("ref", flat=True)
    )
    rows = slip_rows()
    slips_insert(None)
    assert slip_rows() == rows


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(writes=st.lists(write, max_size=8))
def test_slip_rows_equal_a_recomputation_after_any_writes(world, writes):  # noqa: F811
    with transaction.atomic():
        for op in writes:
            try:
                with transaction.atomic():
                    apply(world, op)
            except IntegrityError:
                pass  # the same statement twice: refused by the database, nothing written
        check()
        transaction.set_rollback(True)


def test_most_slipped_first_then_by_ref(world):  # noqa: F811
    first, second, third = DAYS[0], DAYS[2], DAYS[4]
    for n, due in [(0, D(2007, 1, 1)), (1, D(2009, 1, 1)), (2, D(2009, 1, 1))]:
        apply(world, ("target", n, first, D(2006, 1, 1)))
        apply(world, ("target", n, second, due))
    apply(world, ("target", 3, first, D(2006, 1, 1)))
    apply(world, ("target", 3, third, D(2010, 2, 28)))  # moved after the second day

    listed = list(most_slipped(first, second).values_list("irritant__ref", "days"))

    assert listed == [("X-1", 1096), ("X-2", 1096), ("X-0", 365)]


def test_a_deleted_item_leaves_no_slip(world):  # noqa: F811
    apply(world, ("target", 0, DAYS[0], D(2006, 1, 1)))
    apply(world, ("target", 0, DAYS[2], D(2007, 1, 1)))
    assert TargetSlip.objects.filter(irritant=world["items"][0]).exists()

    Irritant.objects.filter(pk=world["items"][0].pk).delete()

    assert not TargetSlip.objects.filter(irritant_id=world["items"][0].pk).exists()


def test_a_renamed_item_keeps_its_place_in_the_order(world):  # noqa: F811
    apply(world, ("target", 0, DAYS[0], D(2006, 1, 1)))
    apply(world, ("target", 0, DAYS[2], D(2007, 1, 1)))
    irritant = Irritant.objects.get(pk=world["items"][0].pk)

    irritant.ref = "A-RENAMED"
    irritant.save()

    assert list(TargetSlip.objects.values_list("ref", flat=True)) == ["A-RENAMED"]
