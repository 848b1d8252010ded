"""Keyset (cursor) pagination over any ordering, so a page deep in a million rows costs what the
first page costs: no OFFSET and no COUNT.

DRF's ``CursorPagination`` keys on the first ordering field alone and falls back to an offset among
rows that share its value; the irritant list sorts on columns with many ties (status, category,
target), so that offset would grow with the list. Here the cursor holds the values of *every* sort
key of the last row shown (the list's order always ends in a unique key, ``ref``), and the next page
is the rows strictly after them in that order:

    (k1 > v1) OR (k1 = v1 AND k2 > v2) OR ...   with NULLs last, as the list sorts them

When the leading key cannot be NULL, ``k1 >= v1`` is added too, so the database seeks in its index
(``ref``, or ``irritant.ref`` for status reports and deadlines) instead of scanning from the start.
Sort keys computed per row (status and category rank, a past day's status) have no index; their pages
are still keyset-correct, and cost what the list page sorted the same way costs.

Cursors are signed (a tampered one is refused with 400, never a database error) and carry a digest of
the order they were made for, so a cursor cannot be replayed under another ``ordering``.
"""

import hashlib
from dataclasses import dataclass

from django.core import signing
from django.core.exceptions import FieldDoesNotExist
from django.db.models import F, OrderBy, Q
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

CURSOR_SALT = "spp.api.cursor"
NOTHING = Q(pk__in=[])


@dataclass(frozen=True)
class SortKey:
    expression: object
    descending: bool
    nulls_last: bool | None  # None: the key cannot be NULL
    name: str = ""

    def reversed(self):
        nulls = None if self.nulls_last is None else not self.nulls_last
        return SortKey(self.expression, not self.descending, nulls, self.name)

    def order_by(self, alias):
        if self.nulls_last is None:
            return F(alias).desc() if self.descending else F(alias).asc()
        kwargs = {"nulls_last": True} if self.nulls_last else {"nulls_first": True}
        return F(alias).desc(**kwargs) if self.descending else F(alias).asc(**kwargs)

    def after(self, alias, value):
        """Rows whose key comes strictly after ``value`` in this order."""
        if value is None:  # only a nullable key holds NULL
            return Q(**{f"{alias}__isnull": False}) if not self.nulls_last else NOTHING
        beyond = Q(**{f"{alias}__{'lt' if self.descending else 'gt'}": value})
        return beyond | Q(**{f"{alias}__isnull": True}) if self.nulls_last else beyond

    def equal(self, alias, value):
        return Q(**{f"{alias}__isnull": True}) if value is None else Q(**{alias: value})


def _nullable(model, path):
    """Whether a lookup path (``irritant__ref``) can be NULL: any nullable field on the way."""
    for name in path.split("__"):
        if name == "pk":
            return False
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            return True  # an annotation: assume it can be NULL
        if field.null:
            return True
        model = field.related_model or model
    return False


def _unique(model, path):
    if path in ("pk", "id"):
        return True
    try:
        return model._meta.get_field(path).unique
    except FieldDoesNotExist:
        return False


def sort_keys(queryset):
    """The queryset's ordering as SortKeys, ending in a unique key (the primary key is appended when
    the ordering does not end in one)."""
    model = queryset.model
    query = queryset.query
    ordering = list(query.order_by) or (list(model._meta.ordering) if query.default_ordering else [])
    keys = []
    for item in ordering:
        if isinstance(item, str):
            name = item.removeprefix("-")
            nullable = _nullable(model, name)
            keys.append(SortKey(F(name), item.startswith("-"), True if nullable else None, name))
        elif isinstance(item, OrderBy):
            nulls_last = item.nulls_last if item.nulls_last is not None else not item.nulls_first
            keys.append(SortKey(item.expression, item.descending, nulls_last))
        elif isinstance(item, F):
            keys.append(SortKey(item, False, True, item.name))
        else:
            raise TypeError(f"Cannot page on the ordering {item!r}")
    if not keys or not _unique(model, keys[-1].name):
        keys.append(SortKey(F("pk"), False, None, "pk"))
    return keys


def order_digest(keys):
    """A short fingerprint of an order: a cursor made for one order is refused under another."""
    return hashlib.sha256(repr([(repr(k.expression), k.descending) for k in keys]).encode()).hexdigest()[:16]


def cursor_after(queryset, values):
    """The cursor of the page that follows a row whose sort keys are ``values`` (bench/run.py jumps deep
    into a list with it, as a script that had walked there would)."""
    payload = {"v": values, "b": False, "o": order_digest(sort_keys(queryset))}
    return signing.dumps(payload, salt=CURSOR_SALT, compress=True)


class KeysetPagination(BasePagination):
    """``?cursor=<opaque>&page_size=<1..max>``; answers ``{"next", "previous", "results"}``."""

    page_size = 50
    max_page_size = 200
    cursor_query_param = "cursor"
    page_size_query_param = "page_size"

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.page_size = self.get_page_size(request)
        keys = sort_keys(queryset)
        self.digest = order_digest(keys)
        values, backwards = self.decode_cursor(request, len(keys))
        aliases = [f"_keyset_{i}" for i in range(len(keys))]
        effective = [key.reversed() for key in keys] if backwards else keys
        rows = queryset.annotate(**{alias: key.expression for alias, key in zip(aliases, keys, strict=True)})
        rows = rows.order_by(*[key.order_by(alias) for alias, key in zip(aliases, effective, strict=True)])
        if values is not None:
            rows = rows.filter(self._after(effective, aliases, values))
        page = list(rows[: self.page_size + 1])
        more = len(page) > self.page_size
        page = page[: self.page_size]
        if backwards:
            page.reverse()
        self.has_next = True if backwards else more
        self.has_previous = more if backwards else values is not None
        if not page:
            self.has_next = self.has_previous = False
        self.first = [getattr(page[0], alias) for alias in aliases] if page else None
        self.last = [getattr(page[-1], alias) for alias in aliases] if page else None
        return page

    @staticmethod
    def _after(keys, aliases, values):
        condition = NOTHING
        for index, (key, alias, value) in enumerate(zip(keys, aliases, values, strict=True)):
            term = key.after(alias, value)
            for prior_key, prior_alias, prior_value in zip(keys[:index], aliases, values, strict=False):
                term &= prior_key.equal(prior_alias, prior_value)
            condition |= term
        lead, alias, value = keys[0], aliases[0], values[0]
        if lead.nulls_last is None and value is not None:  # lets the database seek in its index
            condition &= Q(**{f"{alias}__{'lte' if lead.descending else 'gte'}": value})
        return condition

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        try:
            size = int(raw)
        except ValueError:
            size = 0
        if not 1 <= size <= self.max_page_size:
            raise ValidationError(
                {
                    self.page_size_query_param: [
                        _("Give a whole number from 1 to %(max)s.") % {"max": self.max_page_size}
                    ]
                }
            )
        return size

    def decode_cursor(self, request, length):
        raw = request.query_params.get(self.cursor_query_param)
        if raw is None:
            return None, False
        try:
            data = signing.loads(raw, salt=CURSOR_SALT)
            values, backwards, digest = data["v"], data["b"], data["o"]
            if digest != self.digest or len(values) != length or not isinstance(backwards, bool):
                raise ValueError
        except (signing.BadSignature, KeyError, TypeError, ValueError):
            raise ValidationError(
                {
                    self.cursor_query_param: [
                        _(
                            "This cursor is not valid for this list: follow the next and previous links "
                            "of a page of the same list and order."
                        )
                    ]
                }
            ) from None
        return values, backwards

    def encode_cursor(self, values, backwards):
        payload = {"v": [v.isoformat() if hasattr(v, "isoformat") else v for v in values], "b": backwards}
        payload["o"] = self.digest
        token = signing.dumps(payload, salt=CURSOR_SALT, compress=True)
        url = self.request.build_absolute_uri()
        return replace_query_param(url, self.cursor_query_param, token)

    def get_next_link(self):
        return self.encode_cursor(self.last, False) if self.has_next else None

    def get_previous_link(self):
        return self.encode_cursor(self.first, True) if self.has_previous else None

    def get_paginated_response(self, data):
        return Response({"next": self.get_next_link(), "previous": self.get_previous_link(), "results": data})

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["next", "previous", "results"],
            "properties": {
                "next": {"type": "string", "format": "uri", "nullable": True},
                "previous": {"type": "string", "format": "uri", "nullable": True},
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": str(_("Opaque position in the list: follow the next and previous links.")),
                "schema": {"type": "string"},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": str(_("Rows a page (default %(size)s).") % {"size": self.page_size}),
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_size},
            },
        ]
