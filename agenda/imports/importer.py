"""The importer: read the file in batches, check each, and (for a real import) write each batch as
soon as it is checked, inside one transaction that is rolled back if any row of the file has an
error. So a file is written whole or not at all, and memory holds one batch at a time."""

import uuid

from django.db import IntegrityError, OperationalError, connection, transaction
from django.utils.translation import gettext as _t

from ..models import Deadline, Irritant, RecordVersion, StatusReport
from . import staging
from .children import DeadlineChecker, StatusReportChecker
from .columns import DEADLINES, IRRITANTS, KINDS, STATUS_REPORTS
from .irritants import IrritantChecker
from .lookups import Lookups
from .reading import batches, decode, iter_rows
from .results import ImportConflictError, ImportResult
from .writing import BulkWriter

BATCH = 1000
CHECKERS = {IRRITANTS: IrritantChecker, DEADLINES: DeadlineChecker, STATUS_REPORTS: StatusReportChecker}
MODELS = {IRRITANTS: Irritant, DEADLINES: Deadline, STATUS_REPORTS: StatusReport}
IMPORT_LOCK = 0x5350_5049  # "SPPI": the PostgreSQL advisory lock imports take while writing


def lock_imports():
    """Make imports that write run one at a time (inside the caller's transaction, until it ends).

    PostgreSQL: a transaction-level advisory lock (other writers, such as the admin, are not held up).
    SQLite: a first write, which takes the database's write lock before the check reads anything."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [IMPORT_LOCK])
    elif not RecordVersion.objects.filter(pk=1).update(token=uuid.uuid4()):
        RecordVersion.objects.get_or_create(pk=1)


class _RollBack(Exception):
    """A row had an error after earlier batches were written: undo them."""


class Importer:
    def __init__(self, kind, *, user=None, keep_rows=True, staged=None):
        """``keep_rows=False`` keeps only the rows with errors in the result (the counts cover every
        row); ``staged`` forces the PostgreSQL staging writer on or off (default: where it applies)."""
        if kind not in KINDS:
            raise ValueError(f"unknown import kind {kind!r}")
        self.kind, self.user, self.keep_rows = kind, user, keep_rows
        self.staged = staging.applies(kind) if staged is None else staged

    def writer(self):
        if self.staged:
            return staging.StagingWriter(MODELS[self.kind], self.user)
        return BulkWriter(MODELS[self.kind], self.user)

    def check(self, data: bytes, *, writer=None) -> ImportResult:
        """Validate the whole file and say what each row would do; with a ``writer``, hand it each
        batch's rows to write while the file has no error so far."""
        headers, rows = iter_rows(decode(data), self.kind)
        checker = CHECKERS[self.kind](Lookups(), self.user)
        result = ImportResult(self.kind, keep_rows=self.keep_rows)
        for batch in batches(rows, BATCH):
            checked = checker.check_batch(batch, len(headers))
            for row in checked:
                result.add(row)
            if writer is not None and result.ok and not any(row.errors for row in checked):
                writer.write([row for row in checked if row.writes])
            for row in checked:
                result.settle(row)
        return result

    def run(self, data: bytes, *, dry_run: bool) -> ImportResult:
        """Check the file and, unless ``dry_run`` or it has errors, write it.

        The check that decides what to create runs inside the write transaction, after taking the
        import lock: two imports at once run one after the other, and the second matches the rows the
        first wrote instead of inserting them again. The natural-key constraints back this up against
        any other writer; a clash with one is an ImportConflictError (a message, nothing written)."""
        if dry_run:
            return self.check(data)
        try:
            return self.write(data)
        except IntegrityError as exc:
            raise ImportConflictError(
                _t(
                    "Another change wrote some of the same rows while this file was being imported (%(detail)s). "
                    "Nothing was written; import the file again and those rows will be matched."
                )
                % {"detail": str(exc).splitlines()[0][:200]}
            ) from None
        except OperationalError as exc:
            if "locked" not in str(exc):
                raise
            raise ImportConflictError(
                _t("The database is busy with another import; nothing was written. Import the file again.")
            ) from None

    def write(self, data):
        try:
            with transaction.atomic():
                lock_imports()
                writer = self.writer()
                result = self.check(data, writer=writer)
                if not result.ok:
                    raise _RollBack
                writer.finish()
                result.written = True
        except _RollBack:
            pass
        return result
