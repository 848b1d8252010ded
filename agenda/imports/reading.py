"""Reading the file: size and encoding, then the header row, then the data rows one at a time.

Rows are read lazily (``iter_rows``), so a file is checked and written in bounded batches; only the
decoded text is held whole (the admin and the command hand over bytes, at most MAX_BYTES)."""

import csv
import io
from itertools import islice

from django.utils.translation import gettext as _t

from ..cells import unprotect_cell
from .columns import KIND_LABELS, header_problems, importer_columns, resolve_headers
from .results import ImportFileError

MAX_BYTES = 50 * 1024 * 1024
MAX_ROWS = 200_000
DELIMITERS = ((";", "semicolons"), ("\t", "tabs"), ("|", "bars"))


def decode(data: bytes) -> str:
    if not data.strip():
        raise ImportFileError(_t("The file is empty."))
    if len(data) > MAX_BYTES:
        raise ImportFileError(
            _t("The file is %(size)s MB; the limit is %(limit)s MB. Split it into smaller files.")
            % {"size": len(data) // (1024 * 1024), "limit": MAX_BYTES // (1024 * 1024)}
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            _t(
                "The file is not UTF-8 text (byte %(position)s). Save it as 'CSV UTF-8' from your "
                "spreadsheet and import it again."
            )
            % {"position": exc.start}
        ) from None


def _delimiter_name(name):
    return {"semicolons": _t("semicolons"), "tabs": _t("tabs"), "bars": _t("bars")}[name]


def read_header(reader, kind):
    """The header row as canonical column names, or an ImportFileError saying what does not fit."""
    try:
        raw_headers = next(reader)
    except StopIteration:
        raise ImportFileError(_t("The file is empty.")) from None
    except csv.Error as exc:
        raise ImportFileError(_t("The file is not valid CSV: %(error)s") % {"error": exc}) from None
    if len(raw_headers) == 1:
        for delimiter, name in DELIMITERS:
            if delimiter in raw_headers[0]:
                raise ImportFileError(
                    _t("The columns are separated by %(name)s; SPP Tracker reads comma-separated files.")
                    % {"name": _delimiter_name(name)}
                )
    headers = resolve_headers(raw_headers)
    problems = header_problems(raw_headers, headers, kind)
    if problems:
        raise ImportFileError(
            _t("The header row does not fit a %(kind)s file: %(problems)s. Expected columns: %(expected)s.")
            % {
                "kind": KIND_LABELS[kind],
                "problems": "; ".join(problems),
                "expected": ", ".join(importer_columns(kind)[0]),
            }
        )
    return headers


def _data_rows(reader, headers, max_rows):
    """(line, row dict, None), or (line, None, cell count) for a row of the wrong width."""
    count = 0
    for values in reader:
        if not any(v.strip() for v in values):
            continue
        if count >= max_rows:
            raise ImportFileError(
                _t("The file has more than %(limit)s rows; split it into smaller files.")
                % {"limit": max_rows}
            )
        count += 1
        if len(values) != len(headers):
            yield reader.line_num, None, len(values)
            continue
        cells = (unprotect_cell(v.strip()) for v in values)  # undo the export's formula protection
        yield reader.line_num, dict(zip(headers, cells, strict=True)), None
    if not count:
        raise ImportFileError(_t("The file has a header row but no data rows."))


def iter_rows(text, kind):
    """(canonical headers, an iterator of (line, row dict or None, cell count or None)). The header
    is checked at once; each data row as it is read (an error ends the iteration)."""
    reader = csv.reader(io.StringIO(text, newline=""))
    headers = read_header(reader, kind)

    def rows():
        try:
            yield from _data_rows(reader, headers, MAX_ROWS)
        except csv.Error as exc:
            raise ImportFileError(
                _t("Line %(line)s is not valid CSV: %(error)s") % {"line": reader.line_num, "error": exc}
            ) from None

    return headers, rows()


def batches(rows, size):
    """``rows`` in lists of at most ``size``."""
    while batch := list(islice(rows, size)):
        yield batch


def read_rows(text, kind):
    """(canonical headers, every (line, row dict, cell count)): the whole file at once (tests, tools)."""
    headers, rows = iter_rows(text, kind)
    return headers, list(rows)
