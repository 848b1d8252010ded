"""What a check or an import says: row by row (``RowResult``) and for the file (``ImportResult``)."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

CREATE, CHANGE, UNCHANGED, ERROR = "create", "change", "unchanged", "error"
ACTION_LABELS = {CREATE: _("create"), CHANGE: _("change"), UNCHANGED: _("unchanged"), ERROR: _("error")}


class ImportFileError(ValueError):
    """The file as a whole cannot be read; nothing was written."""


class ImportConflictError(ImportFileError):
    """Another writer wrote the same rows at the same time; nothing was written."""


@dataclass
class RowResult:
    line: int
    key: str = ""
    action: str = ""
    errors: list = field(default_factory=list)  # (column, message)
    changes: list = field(default_factory=list)  # field names that differ
    diffs: dict = field(default_factory=dict)  # field name -> (old, new) as people read them
    data: dict = field(default_factory=dict)  # the checked values (dropped once the batch is done)
    target: object = None  # the matched row (dropped once the batch is done)

    def error(self, column, message):
        self.errors.append((column, str(message)))

    @property
    def writes(self):
        return not self.errors and self.action in (CREATE, CHANGE)

    @property
    def label(self):
        """The row's key for people: 'S-TS-04 · 2006-06-15 · MX'."""
        return " · ".join(part for part in self.key.split("|") if part)

    @property
    def change_labels(self):
        """Each change as 'title: Old title → New title' (for the preview and the command)."""
        labels = []
        for name in self.changes:
            old, new = self.diffs.get(name, ("", ""))
            label = name.replace("_", " ")
            labels.append(f"{label}: {old or '—'} \u2192 {new or '—'}" if name in self.diffs else label)
        return labels

    @property
    def action_label(self):
        return ACTION_LABELS[ERROR if self.errors else self.action]


@dataclass
class ImportResult:
    """Every row's outcome. With ``keep_rows=False`` only the rows with errors are kept (the counts
    cover every row), so a large import holds no per-row state beyond each row's key (to find repeated rows)."""

    kind: str
    rows: list = field(default_factory=list)
    written: bool = False
    keep_rows: bool = True
    tally: dict = field(default_factory=lambda: {CREATE: 0, CHANGE: 0, UNCHANGED: 0, ERROR: 0})
    seen: dict = field(default_factory=dict, repr=False)  # each row's key -> its line

    def add(self, row):
        """Record a checked row: a key already seen in the file is an error on the later row."""
        if row.key and not row.errors:
            if row.key in self.seen:
                row.error("ref", _("the same row as line %(line)s") % {"line": self.seen[row.key]})
            self.seen[row.key] = row.line

    def settle(self, row):
        """Count the row and keep it (without its checked values) as the result says."""
        self.tally[ERROR if row.errors else row.action] += 1
        row.data, row.target = {}, None
        if self.keep_rows or row.errors:
            self.rows.append(row)

    @property
    def errors(self):
        return [(row.line, column, message) for row in self.rows for column, message in row.errors]

    @property
    def ok(self):
        return not self.tally[ERROR]

    def counts(self):
        return dict(self.tally)

    def summary(self):
        return (
            _t("%(create)s to create, %(change)s to change, %(unchanged)s unchanged, %(error)s with errors")
            % self.counts()
        )
