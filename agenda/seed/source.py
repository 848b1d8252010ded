"""Reading the source CSVs: a row knows its file and line, and every malformed cell raises a
SourceDataError that says where and why."""

import csv
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

UID_NAMESPACE = uuid.UUID("6b1f3c52-3d5e-4d8a-9a57-0f5e8f1b2c10")


class SourceDataError(ValueError):
    """A source row that cannot become a record; says where and why."""

    def __init__(self, path, line, reason):
        self.path, self.line, self.reason = Path(path), line, reason
        super().__init__(f"{self.path.name}, line {line}: {reason}")


@dataclass
class Row:
    path: Path
    line: int
    values: dict

    def error(self, reason):
        return SourceDataError(self.path, self.line, reason)

    def text(self, column, *, required=False):
        value = (self.values.get(column) or "").strip()
        if required and not value:
            raise self.error(f"column '{column}' is empty")
        return value

    def items(self, column):
        return [item.strip() for item in self.text(column).split(";") if item.strip()]

    def date(self, column, *, required=False):
        value = self.text(column, required=required)
        if not value:
            return None
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise self.error(f"column '{column}': {value!r} is not a date (YYYY-MM-DD)") from None

    def choice(self, column, mapping, *, required=True):
        value = self.text(column, required=required)
        if not value:
            return ""
        try:
            return mapping[value]
        except KeyError:
            allowed = ", ".join(sorted(mapping))
            raise self.error(f"column '{column}': {value!r} is not one of {allowed}") from None

    def lookup(self, column, known, what, *, required=False):
        value = self.text(column, required=required)
        if value and value not in known:
            raise self.error(f"column '{column}': no {what} {value!r}")
        return value or None

    def once(self, key, seen, what):
        """``key``, the first time this file names it; a second time is an error."""
        if key in seen:
            raise self.error(f"the same {what} is listed twice")
        seen.add(key)
        return key


def read_csv(path: Path, required_columns) -> Iterator[Row]:
    """Rows of a UTF-8 CSV file, with line numbers as a spreadsheet shows them (header is line 1)."""
    try:
        handle = path.open(encoding="utf-8", newline="")
    except FileNotFoundError:
        raise SourceDataError(path, 0, "file not found") from None
    with handle:
        try:
            reader = csv.DictReader(handle)
            missing = [c for c in required_columns if c not in (reader.fieldnames or [])]
            if missing:
                raise SourceDataError(path, 1, f"missing column(s): {', '.join(missing)}")
            for values in reader:
                if None in values:
                    raise SourceDataError(path, reader.line_num, "more cells than columns")
                if not any((v or "").strip() for v in values.values()):
                    continue
                yield Row(path, reader.line_num, values)
        except UnicodeDecodeError as exc:
            raise SourceDataError(path, 0, f"not UTF-8 text ({exc.reason})") from None
        except csv.Error as exc:
            raise SourceDataError(path, getattr(reader, "line_num", 0), f"malformed CSV ({exc})") from None


def stable_uid(*parts) -> str:
    return str(uuid.uuid5(UID_NAMESPACE, "|".join(str(p or "") for p in parts)))


def unique(row, column, seen):
    value = row.text(column, required=True)
    if value in seen:
        raise row.error(f"column '{column}': {value!r} appears twice")
    if isinstance(seen, set):
        seen.add(value)
    return value


def integer(row, column, *, required=False):
    value = row.text(column, required=required)
    if not value:
        return None
    if not value.isdigit():
        raise row.error(f"column '{column}': {value!r} is not a whole number")
    return int(value)


def iso(value):
    return value.isoformat() if value else None
