"""What a table of the package is: its columns (Table Schema fields), where its rows come from, its
keys. A column that refers to another table says so itself (``references``), so a table's foreign
keys are read off its columns; its rows are sorted by its primary key unless it says otherwise."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from ..models import Irritant


@dataclass(frozen=True)
class Scope:
    """Which items the package holds: ``irritants`` (a queryset; None = all) as of ``as_of``."""

    irritants: object = None
    as_of: datetime.date | None = None

    def items(self):
        """Primary keys of the items in the package (a subquery)."""
        base = Irritant.objects.all() if self.irritants is None else self.irritants
        return base.order_by().values("pk")


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # a Table Schema type: string, integer, date, boolean
    description: str
    lookup: str  # the values_list() path
    choices: type | None = None  # TextChoices: allowed values, explained in the description
    required: bool = False
    references: tuple | None = None  # (resource, field) of the row it refers to: a foreign key

    def descriptor(self):
        spec = {"name": self.name, "type": self.type, "description": self.description}
        if self.type == "date":
            spec["format"] = "default"  # ISO 8601, YYYY-MM-DD
        constraints = {}
        if self.required:
            constraints["required"] = True
        if self.choices is not None:
            values = [value for value in self.choices.values if value]
            constraints["enum"] = values
            meanings = "; ".join(f"{value}: {label}" for value, label in self.choices.choices if value)
            spec["description"] = f"{self.description} Values: {meanings}."
        if constraints:
            spec["constraints"] = constraints
        return spec


def key(name, description, lookup, resource, field="slug", *, required=False):
    """A text column holding another table's key (``resource.field``)."""
    return Column(name, "string", description, lookup, required=required, references=(resource, field))


def report(description):
    """The report (or statement) a row cites, by slug."""
    return key("report", description, "report__slug", "reports")


SOURCE = Column(
    "source_id",
    "integer",
    "The source (sources.id).",
    "source_id",
    required=True,
    references=("sources", "id"),
)
ITEM = key("irritant", "The item (irritants.ref).", "irritant__ref", "irritants", "ref", required=True)


@dataclass(frozen=True)
class Table:
    name: str
    description: str
    columns: list
    rows: Callable  # Scope -> queryset (unordered)
    primary_key: list
    order: list = field(default_factory=list)  # lookups to sort by; default: the primary key's
    foreign_keys: list = field(default_factory=list)  # (fields, resource, fields) over several columns

    def all_foreign_keys(self):
        """The keys over several columns, then one per referring column, in column order."""
        return [
            *self.foreign_keys,
            *(([c.name], c.references[0], [c.references[1]]) for c in self.columns if c.references),
        ]

    def descriptor(self):
        schema = {"fields": [column.descriptor() for column in self.columns], "missingValues": [""]}
        schema["primaryKey"] = self.primary_key
        if foreign_keys := self.all_foreign_keys():
            schema["foreignKeys"] = [
                {"fields": fields, "reference": {"resource": resource, "fields": reference}}
                for fields, resource, reference in foreign_keys
            ]
        return {
            "name": self.name,
            "path": f"data/{self.name}.csv",
            "profile": "tabular-data-resource",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "description": self.description,
            "schema": schema,
        }

    def ordering(self):
        by_name = {column.name: column.lookup for column in self.columns}
        return self.order or [by_name[name] for name in self.primary_key]

    def queryset(self, scope):
        rows = self.rows(scope).order_by(*self.ordering())
        return rows.values_list(*[column.lookup for column in self.columns])


def whole(model):
    """Rows of a reference table: all of them, whatever the scope (so every foreign key resolves)."""
    return lambda scope: model.objects.all()


def sources_table(name, description, model, owners, *owner_columns, foreign_keys=()):
    """``<owner>_sources``: the sources each row of an owning table rests on, for the owning rows in
    ``owners(scope)`` (a subquery of primary keys); keyed by the owner's columns and the source."""
    sources = model.sources.field
    owner = sources.m2m_field_name()  # the link row's foreign key to its owner
    return Table(
        name,
        description,
        [*owner_columns, SOURCE],
        lambda scope: sources.remote_field.through.objects.filter(**{f"{owner}__in": owners(scope)}),
        primary_key=[column.name for column in (*owner_columns, SOURCE)],
        foreign_keys=list(foreign_keys),
    )
