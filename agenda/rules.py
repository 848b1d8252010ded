"""The record's rules about single values, one home each: plausible dates, slippage, overdue and
"a new status needs a basis". Models, querysets, pages, exports and the API call these; where a rule
must also run in SQL, its expression sits in querysets.py beside the filter that uses it and a test
checks that the two agree (tests/agenda/test_querysets.py)."""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import IrritantStatus

# Plausible dates. The SPP was launched at Waco on 2005-03-23; nothing can be stated about its items
# earlier (the oldest status, target and report on the record are of June 2005; the Smart Border
# accords of 2001-2002 that some items continue are the items' background, not their record). A status
# or a target is stated on a day that has happened; a target date lies at most until the end of 2030
# (the latest on the record is 2008-12-31 and the furthest horizon any SPP document names is 2010:
# this leaves room for long-term goals and still refuses typos such as 2106 or 9999).
RECORD_BEGINS = datetime.date(2005, 3, 23)
LATEST_TARGET = datetime.date(2030, 12, 31)


def _refuse_outside(value, last, message, **params):
    """Refuse ``value`` outside RECORD_BEGINS..``last`` with ``message`` (both bounds are
    offered to it, with any other dates in ``params``, as ISO dates)."""
    if value < RECORD_BEGINS or value > last:
        dates = {"value": value, "begins": RECORD_BEGINS, **params}
        raise ValidationError(
            message, code="implausible_date", params={key: day.isoformat() for key, day in dates.items()}
        )


def validate_stated_on(value):
    """A day something was stated or held: between the SPP's launch and today."""
    today = timezone.localdate()
    message = _(
        "%(value)s is not plausible: the SPP began on %(begins)s, so a status or target is stated "
        "between then and today (%(today)s)."
    )
    _refuse_outside(value, today, message, today=today)


def validate_target_date(value):
    """A target date: from the SPP's launch to the end of LATEST_TARGET's year."""
    message = _(
        "%(value)s is not plausible for a target: give a date between %(begins)s (the SPP's "
        "launch) and %(latest)s."
    )
    _refuse_outside(value, LATEST_TARGET, message, latest=LATEST_TARGET)


def slippage_days(due, original):
    """Slippage: whole days a target ``due`` lies after the ``original`` one (negative when brought
    forward, 0 when it never moved), None when either is undated. The exports, the API, the pages
    and the dashboard use this; in SQL it is ``querysets.slippage_expression`` (the COPY path)."""
    return (due - original).days if due and original else None


def is_overdue(*, due, status, day):
    """THE overdue rule: the target in force ``due`` lies before ``day`` and the ``status`` is not
    closed (``IrritantStatus.closed()``). In SQL it is ``querysets.overdue_condition``."""
    return bool(due and due < day and status not in IrritantStatus.closed())
