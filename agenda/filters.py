"""Query string -> irritant queryset. One FilterSet serves the analyst list and the CSV exports, so an
export holds exactly the rows the list shows (STYLE.md §7, §8).

Every parameter is validated: an unknown choice or a malformed date is a form error naming the
parameter, never a silent empty result or a 500. Dates are ISO (``2006-06-30``) so URLs stay stable.
"""

import django_filters
from django import forms
from django.db.models import Case, Exists, F, IntegerField, OuterRef, QuerySet, Value, When
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from summits.choices import CountryCode
from summits.models import Report

from .choices import (
    NO_STATUS,
    NO_STATUS_LABEL,
    NO_STATUS_PARAM,
    STATUS_RANK,
    UNCLASSIFIED,
    UNCLASSIFIED_PARAM,
    AgendaSlug,
    CategoryBasis,
    IrritantCategory,
    IrritantStatus,
    Scope,
)
from .models import Irritant, Lineage, SignatureInitiative, WorkingGroup

ISO_DATE = ["%Y-%m-%d"]
YES_NO = [("true", _("Yes")), ("false", _("No"))]
CATEGORY_CHOICES = [(value, label) for value, label in IrritantCategory.choices if value]
# Parameter values for "no value": an item nobody has reported on, an item no rule or source classifies.
CATEGORY_RANK = {value: rank for rank, (value, _label) in enumerate(CATEGORY_CHOICES)}


def _ranked(field, ranks):
    """Sort a choice column in its meaning's order (not alphabetically); unknown/empty values last."""
    return Case(
        *[When(**{field: value}, then=Value(rank)) for value, rank in ranks.items()],
        default=Value(None),
        output_field=IntegerField(),
    )


# param -> expression to sort by. Empty values always sort last, on SQLite and PostgreSQL alike.
SORT_KEYS = {
    "ref": lambda: F("ref"),
    "title": lambda: F("title"),
    "working_group": lambda: F("working_group__name"),
    "status": lambda: _ranked("state_status", STATUS_RANK),
    "status_date": lambda: F("state_on"),
    "target": lambda: F("state_due"),
    "category": lambda: _ranked("category", CATEGORY_RANK),
}


def _descending(label):
    return gettext("%(label)s (descending)") % {"label": label}


class IrritantOrderingFilter(django_filters.OrderingFilter):
    """``ordering=target`` / ``ordering=-target``; ties are broken by ref so pages are stable."""

    def build_choices(self, fields, labels):
        """As django-filter's, but the "(descending)" labels stay lazy: django-filter formats them once,
        when this module is imported, so they would stay in the language of that moment (English)."""
        choices = []
        for field, param in fields.items():
            choices += [(param, labels[field]), (f"-{param}", lazy(_descending, str)(labels[field]))]
        return choices

    def filter(self, qs, value):
        if not value:
            return qs
        ordering = []
        for param in value:
            expression = SORT_KEYS[param.removeprefix("-")]()
            descending = param.startswith("-")
            ordering.append(
                expression.desc(nulls_last=True) if descending else expression.asc(nulls_last=True)
            )
        return qs.order_by(*ordering, "ref")


def _date_filter(label, **kwargs):
    return django_filters.DateFilter(
        label=label, input_formats=ISO_DATE, widget=forms.DateInput(attrs={"type": "date"}), **kwargs
    )


class IrritantFilterSet(django_filters.FilterSet):
    """The analyst list's filters. It always filters the record as it stood on ``as_of`` (default:
    now), so ``status``, the target range, ``overdue`` and the sort all see the same day."""

    q = django_filters.CharFilter(method="filter_q", label=_("Search"))
    working_group = django_filters.ModelMultipleChoiceFilter(
        field_name="working_group__slug",
        to_field_name="slug",
        queryset=WorkingGroup.objects.all(),
        distinct=False,
        label=_("Working group"),
    )
    agenda = django_filters.ChoiceFilter(
        field_name="agenda__slug", choices=AgendaSlug.choices, label=_("Agenda"), empty_label=_("Any")
    )
    country = django_filters.MultipleChoiceFilter(
        choices=CountryCode.choices,
        method="filter_country",
        label=_("Country takes part"),
        widget=forms.CheckboxSelectMultiple,
    )
    scope = django_filters.ChoiceFilter(
        choices=[(scope.value, scope.label) for scope in (Scope.BILATERAL, Scope.TRILATERAL)],
        method="filter_scope",
        label=_("Scope"),
        empty_label=_("Any"),
    )
    category = django_filters.MultipleChoiceFilter(
        choices=[*CATEGORY_CHOICES, (UNCLASSIFIED_PARAM, _("Unclassified"))],
        method="filter_blank_or",
        field_name="category",
        label=_("Category"),
        widget=forms.CheckboxSelectMultiple,
    )
    category_basis = django_filters.MultipleChoiceFilter(
        choices=CategoryBasis.choices,
        distinct=False,
        label=_("Category basis"),
        widget=forms.CheckboxSelectMultiple,
    )
    status = django_filters.MultipleChoiceFilter(
        field_name="state_status",
        choices=[*IrritantStatus.choices, (NO_STATUS_PARAM, NO_STATUS_LABEL)],
        method="filter_blank_or",
        label=_("Status"),
        widget=forms.CheckboxSelectMultiple,
    )
    signature_initiative = django_filters.ModelChoiceFilter(
        field_name="signature_initiative",
        to_field_name="slug",
        queryset=SignatureInitiative.objects.all(),
        label=_("Signature initiative"),
        empty_label=_("Any"),
    )
    report = django_filters.ModelChoiceFilter(
        to_field_name="slug",
        queryset=Report.objects.all(),
        method="filter_report",
        label=_("Cited by report"),
        empty_label=_("Any"),
    )
    deadline_after = _date_filter(_("Target on or after"), field_name="state_due", lookup_expr="gte")
    deadline_before = _date_filter(_("Target on or before"), field_name="state_due", lookup_expr="lte")
    overdue = django_filters.ChoiceFilter(
        choices=YES_NO, method="filter_overdue", label=_("Overdue"), empty_label=_("Any")
    )
    no_target = django_filters.ChoiceFilter(
        choices=YES_NO, method="filter_no_target", label=_("Without any target"), empty_label=_("Any")
    )
    continues = django_filters.ChoiceFilter(
        choices=YES_NO, method="filter_lineage", label=_("Continues an earlier item"), empty_label=_("Any")
    )
    has_successor = django_filters.ChoiceFilter(
        choices=YES_NO, method="filter_lineage", label=_("Has a successor"), empty_label=_("Any")
    )
    as_of = _date_filter(_("Record as of"), method="filter_as_of")
    ordering = IrritantOrderingFilter(
        fields=[(param, param) for param in SORT_KEYS],
        field_labels={
            "ref": _("Reference"),
            "title": _("Title"),
            "working_group": _("Working group"),
            "status": _("Status"),
            "status_date": _("Status date"),
            "target": _("Target"),
            "category": _("Category"),
        },
        label=_("Sort by"),
        empty_label=_("Reference (default)"),
    )

    class Meta:
        model = Irritant
        fields = [
            "q",
            "working_group",
            "agenda",
            "country",
            "scope",
            "category",
            "category_basis",
            "status",
            "signature_initiative",
            "report",
            "deadline_after",
            "deadline_before",
            "overdue",
            "no_target",
            "continues",
            "has_successor",
            "as_of",
            "ordering",
        ]

    def __init__(self, data=None, *args, today=None, **kwargs):
        # Always bound: an empty query string is a valid request for the whole list, and binding
        # makes filter_queryset() run, which states the record (as_it_stood) for every caller.
        super().__init__({} if data is None else data, *args, **kwargs)
        self.today = today or timezone.localdate()

    @property
    def as_of_date(self):
        """The validated ``as_of`` day, or None (the record as it stands now)."""
        return self.form.cleaned_data.get("as_of") if self.is_valid() else None

    def filter_queryset(self, queryset):
        queryset = queryset.for_list(self.as_of_date).as_it_stood(self.as_of_date, today=self.today)
        return super().filter_queryset(queryset)

    def active_filters(self):
        """(parameter, label, [(raw value, display)]) for each filter in use, for the summary."""
        if not self.is_valid():
            return []
        active = []
        for name, field in self.form.fields.items():
            value = self.form.cleaned_data.get(name)
            if name == "ordering" or value in (None, "", [], ()):
                continue
            values = list(value) if isinstance(value, list | tuple | QuerySet) else [value]
            # Model choices are shown by str(instance); reading their .choices would query again.
            is_model = hasattr(field, "queryset")
            choices = {} if is_model else {str(k): v for k, v in getattr(field, "choices", [])}
            shown = []
            for item in values:
                if hasattr(item, "slug"):
                    shown.append((item.slug, str(item)))
                elif hasattr(item, "isoformat"):
                    shown.append((item.isoformat(), item.isoformat()))
                else:
                    shown.append((str(item), choices.get(str(item), item)))
            active.append((name, field.label, shown))
        return active

    # --- method filters: each calls a named IrritantQuerySet read ------------------------------
    def filter_q(self, queryset, name, value):
        return queryset.search(value.strip()) if value.strip() else queryset

    def filter_blank_or(self, queryset, name, value):
        """Any of the chosen values; "none"/"unclassified" stand for the empty value."""
        wanted = [{NO_STATUS_PARAM: NO_STATUS, UNCLASSIFIED_PARAM: UNCLASSIFIED}.get(v, v) for v in value]
        return queryset.filter(**{f"{name}__in": wanted}) if wanted else queryset

    def filter_country(self, queryset, name, value):
        return queryset.involving(value)

    def filter_scope(self, queryset, name, value):
        return queryset.with_country_count(Scope(value).country_count)

    def filter_report(self, queryset, name, value):
        return queryset.citing(value)

    def filter_overdue(self, queryset, name, value):
        if value == "true":
            return queryset.overdue(today=self.as_of_date or self.today)
        return queryset.filter(state_overdue=False)  # the same test, per row (as_it_stood)

    def filter_no_target(self, queryset, name, value):
        if value == "true":
            return queryset.without_any_target(self.as_of_date)
        return queryset.with_any_target(self.as_of_date)

    def filter_lineage(self, queryset, name, value):
        """``continues``: the item continues an earlier one; ``has_successor``: a later one continues it."""
        side = "irritant" if name == "continues" else "continues"
        linked = Exists(Lineage.objects.filter(**{side: OuterRef("pk")}))
        return queryset.filter(linked if value == "true" else ~linked)

    def filter_as_of(self, queryset, name, value):
        return queryset  # applied first, by filter_queryset()
