"""What the dashboard tests share: items with status reports and deadlines, two dated reports."""

import datetime

from agenda.choices import IrritantStatus
from tests.factories import DeadlineFactory, IrritantFactory, StatusReportFactory

D = datetime.date
COMPLETED = IrritantStatus.COMPLETED
INITIATED = IrritantStatus.INITIATED
ONGOING = IrritantStatus.ONGOING


def item(*, statuses=(), deadlines=(), **kwargs):
    """An irritant with status reports ``(as_of, status)`` and deadlines ``(set_on, due_on)``."""
    irritant = IrritantFactory(**kwargs)
    for as_of, status in statuses:
        StatusReportFactory(irritant=irritant, as_of=as_of, status=status)
    for set_on, due_on in deadlines:
        DeadlineFactory(irritant=irritant, set_on=set_on, due_on=due_on)
    return irritant
