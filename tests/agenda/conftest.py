"""Fixtures the agenda tests share."""

import pytest

from tests.factories import ReportFactory

from .dashboard_data import D


@pytest.fixture
def two_reports():
    first = ReportFactory(slug="first", released_on=D(2005, 6, 27))
    second = ReportFactory(slug="second", released_on=D(2006, 9, 7), covers_through=D(2006, 6, 15))
    return first, second
