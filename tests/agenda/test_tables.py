"""The dashboard's tables (agenda/tables.py): shares, links and rows of a progress table."""

from collections import Counter

from agenda.tables import Group, progress_row, share_percent

from .dashboard_data import COMPLETED, ONGOING, D


def test_progress_row_shares_of_three_items_two_completed():
    columns = [(COMPLETED, "Completed"), ("", "No status reported")]
    group = Group(key="energy", label="Energy", params={"working_group": "energy"})

    row = progress_row(group, Counter({COMPLETED: 2, "": 1}), columns=columns, as_of=None)

    assert row.total == 3
    assert [(c.count, c.percent) for c in row.cells] == [(2, 67), (1, 33)]
    assert row.cells[0].url == "/irritants/?working_group=energy&status=completed"
    assert row.cells[1].url == "/irritants/?working_group=energy&status=none"
    assert row.total_url == "/irritants/?working_group=energy"


def test_progress_row_links_carry_the_as_of_day():
    group = Group(key="CA", label="Canada", params={"country": "CA"})

    row = progress_row(group, Counter({ONGOING: 1}), columns=[(ONGOING, "Ongoing")], as_of=D(2007, 1, 1))

    assert row.cells[0].url == "/irritants/?country=CA&status=ongoing&as_of=2007-01-01"


def test_progress_row_for_a_group_the_list_cannot_filter_has_no_links():
    row = progress_row(Group(key=None, label="No group"), Counter({"": 2}), columns=[("", "")], as_of=None)

    assert row.total_url == "" and row.cells[0].url == ""


def test_share_percent_rounds_halves_up_and_survives_zero():
    assert [share_percent(2, 3), share_percent(1, 3), share_percent(1, 8), share_percent(0, 0)] == [
        67,
        33,
        13,
        0,
    ]
