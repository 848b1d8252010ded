"""On PostgreSQL the irritant CSV is written by COPY; it must say exactly what the Python path says."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test import RequestFactory

from agenda import exports
from agenda.choices import IrritantStatus
from agenda.models import Irritant

from ..factories import DeadlineFactory, IrritantFactory, SourceFactory, StatusReportFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's"),
]


def parsed(response):
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:], newline="")))


def both_paths(queryset, **kwargs):
    request = RequestFactory().get("/irritants/export.csv")
    python = parsed(exports.irritants_csv(queryset, request=request, use_copy=False, **kwargs))
    copied = parsed(exports.irritants_csv(queryset, request=request, use_copy=True, **kwargs))
    return python, copied


def test_copy_writes_the_same_file_as_python_on_the_seed_data(seeded):
    python, copied = both_paths(Irritant.objects.all())

    assert len(copied) == 76
    assert copied == python


def test_copy_matches_python_on_a_past_day_and_a_filtered_order(seeded):
    queryset = Irritant.objects.filter(agenda__slug="security").order_by("-ref")

    python, copied = both_paths(queryset, as_of=datetime.date(2007, 1, 1))

    assert copied == python
    assert copied[1][0] == "S-X-02"  # S-X-03 was first stated in 2007-08: not yet on the record


def test_copy_neutralises_formulas_and_keeps_awkward_text():
    source = SourceFactory(url="https://www.dhs.gov/a")
    tricky = IrritantFactory(
        ref="P-T-01", title='=HYPERLINK("http://evil")', summary='Line one\nline "two", with comma\r\n-3'
    )
    tricky.sources.add(source)
    StatusReportFactory(irritant=tricky, status=IrritantStatus.DELAYED)
    DeadlineFactory(irritant=tricky, set_on=datetime.date(2005, 6, 27), due_on=datetime.date(2006, 6, 30))
    DeadlineFactory(
        irritant=tricky, set_on=datetime.date(2006, 1, 1), due_on=datetime.date(2006, 3, 31)
    )  # earlier

    python, copied = both_paths(Irritant.objects.all())

    assert copied == python
    row = dict(zip(copied[0], copied[1], strict=True))
    assert row["title"] == '\'=HYPERLINK("http://evil")'
    assert row["summary"].startswith("Line one\nline")
    assert row["slippage (days)"] == "-91"  # a number, not a formula
