"""The irritant CSV on PostgreSQL: the database formats every cell and streams the file with
``COPY (SELECT ...) TO STDOUT``, so Python only forwards bytes.

The SELECT wraps the export queryset itself (same FilterSet, same ordering) in three levels: the
inner one selects each value once (some are correlated subqueries when the record is shown as of a
past day), the middle one formats them (labels in the request's language, ISO dates, "yes"/"no"),
the outer one prefixes with an apostrophe any text a spreadsheet would run as a formula. The cells
mean the same as the Python path's (tests compare the two file by file); only the line ending
differs (LF here, CRLF in the Python path), and both are valid CSV.
"""

from django.contrib.postgres.aggregates import StringAgg
from django.db import connection, transaction
from django.db.models import Case, CharField, F, OuterRef, Subquery, Value, When
from django.db.models.functions import Coalesce, Concat, NullIf

from .choices import AgendaSlug, CategoryBasis, Confidence, IrritantCategory, IrritantStatus, LineageKind
from .exports import NEEDS_PROTECTION

COPY_CHUNK = 64 * 1024
ISO_DATE = "to_char({}, 'YYYY-MM-DD')"


def _labels(field, choices):
    """CASE field WHEN value THEN 'label in the current language' ... END (on a plain column)."""
    return Case(
        *[When(**{field: value}, then=Value(str(label))) for value, label in choices.choices if value],
        default=Value(None),
        output_field=CharField(),
    )


def _case(labels):
    """An outer template: CASE "alias" WHEN value THEN 'label' ... END, quoted by psycopg."""

    def render(cursor, alias):
        whens = " ".join(cursor.mogrify("WHEN %s THEN %s", [value, label]) for value, label in labels.items())
        return f'CASE "{alias}" {whens} END'

    return render


def _aggregated(relation, expression, delimiter, order_by):
    from .models import Irritant

    through = getattr(Irritant, relation).through
    return Subquery(
        through.objects.filter(irritant_id=OuterRef("pk"))
        .order_by()
        .values("irritant_id")
        .annotate(joined=StringAgg(expression, delimiter, order_by=order_by))
        .values("joined")
    )


def _continues():
    """exports._continues: "P-MG-03 (Carried forward); ..." by earlier ref, then kind."""
    from .models import Lineage

    cell = Concat(
        "continues__ref", Value(" ("), _labels("kind", LineageKind), Value(")"), output_field=CharField()
    )
    return Subquery(
        Lineage.objects.filter(irritant_id=OuterRef("pk"))
        .order_by()
        .values("irritant_id")
        .annotate(joined=StringAgg(cell, "; ", order_by=("continues__ref", "kind")))
        .values("joined")
    )


def column_expressions(detail_url_prefix, detail_url_suffix, scope_labels):
    """(alias, inner expression, middle template, is_text) per column, in the order of
    exports.IRRITANT_COLUMNS + detail URL. A middle template is a format string (``{}`` is the
    column) or a callable; ``is_text``: the Python path writes a string, so neutralisation applies."""
    countries = _aggregated("countries", "country__code", " ", "country__code")
    reference = Coalesce(NullIf("source__url", Value("")), "source__citation")
    sources = _aggregated("sources", reference, "; ", ("source__url", "source__citation"))
    url = Concat(Value(detail_url_prefix), F("ref"), Value(detail_url_suffix), output_field=CharField())
    statuses = {value: str(label) for value, label in IrritantStatus.choices}
    return [
        ("c_ref", F("ref"), None, True),
        ("c_title", F("title"), None, True),
        ("c_summary", F("summary"), None, True),
        ("c_group", F("working_group__name"), None, True),
        ("c_agenda", _labels("agenda__slug", AgendaSlug), None, True),
        ("c_countries", countries, None, True),
        ("c_scope", F("country_count"), _case({n: str(label) for n, label in scope_labels.items()}), True),
        ("c_category", _labels("category", IrritantCategory), None, True),
        ("c_basis", _labels("category_basis", CategoryBasis), None, True),
        ("c_status", F("state_status"), _case(statuses), True),
        ("c_status_on", F("state_on"), ISO_DATE, False),
        ("c_due", F("state_due"), ISO_DATE, False),
        ("c_due_text", F("state_target_text"), None, True),
        ("c_original", F("state_original_due"), ISO_DATE, False),
        ("c_slippage", None, '("c_due" - "c_original")::text', False),  # from the raw dates
        ("c_overdue", F("state_overdue"), "CASE WHEN {} THEN 'yes' ELSE 'no' END", False),
        ("c_signature", F("signature_initiative__name"), None, True),
        ("c_confidence", _labels("confidence", Confidence), None, True),
        ("c_sources", sources, None, True),
        ("c_continues", _continues(), None, True),
        ("c_url", url, None, True),
    ]


def _neutralised(column):
    """exports.protect_cell in SQL: the same pattern, so the import can undo it exactly."""
    # Control characters as the regex engine's own escapes (\t, \r), quotes doubled for SQL.
    pattern = NEEDS_PROTECTION.replace("\t", "\\t").replace("\r", "\\r").replace("'", "''")
    return f"CASE WHEN {column} ~ '{pattern}' THEN '''' || {column} ELSE NULLIF({column}, '') END"


def copy_sql(queryset, columns):
    """The COPY statement for ``queryset`` (an as_it_stood() irritant queryset), parameters bound."""
    inner_columns = {
        alias: expression for alias, expression, _middle, _text in columns if expression is not None
    }
    annotated = queryset.annotate(**inner_columns).values_list(*inner_columns)
    inner, params = annotated.query.sql_with_params()
    with connection.cursor() as cursor:
        middle = []
        for alias, _expression, template, _text in columns:
            if template is None:
                middle.append(f'"{alias}"')
            elif callable(template):
                middle.append(f'{template(cursor, alias)} AS "{alias}"')
            else:
                middle.append(f'{template.format(chr(34) + alias + chr(34))} AS "{alias}"')
        outer = [
            _neutralised(f'"{alias}"') if is_text else f'"{alias}"' for alias, _e, _m, is_text in columns
        ]
        # OFFSET 0 keeps PostgreSQL from merging the levels (which would repeat the expressions);
        # the inner ORDER BY is kept, and rows stream out in that order.
        select = (
            f"SELECT {', '.join(outer)} FROM ("  # noqa: S608 - aliases are ours, values are bound
            f"SELECT {', '.join(middle)} FROM ({inner} OFFSET 0) AS raw OFFSET 0) AS export"
        )
        # COPY cannot take server-side parameters: let psycopg bind them client-side, safely quoted.
        statement = cursor.mogrify(select, params)
    return f"COPY ({statement}) TO STDOUT WITH (FORMAT csv)"


def stream_copy(sql):
    """Yield the COPY output in chunks, inside one transaction (a consistent snapshot)."""
    with transaction.atomic(), connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        buffer = bytearray()
        for data in copy:
            buffer += data
            if len(buffer) >= COPY_CHUNK:
                yield bytes(buffer)
                buffer.clear()
        if buffer:
            yield bytes(buffer)
