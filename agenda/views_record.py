"""Analyst pages over the whole record: what changed between two days, and the record as a Frictionless
Data Package. Thin views, like views.py (which serves them: ``views.ChangesView``...)."""

from django import forms
from django.http import HttpResponseBadRequest
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView, View

from spp_tracker.access import AnalystAccessMixin
from summits.choices import CountryCode

from .filters import ISO_DATE, IrritantFilterSet
from .models import Irritant, WorkingGroup


# --- what changed between two dates ----------------------------------------------------------------
class ChangesForm(forms.Form):
    """``?from=YYYY-MM-DD&to=YYYY-MM-DD`` (both needed), optionally ``working_group`` and ``country``."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label, example in (
            ("from", _("From (day after which changes count)"), "2005-06-27"),
            ("to", _("To (last day included)"), "2006-06-15"),
        ):
            self.fields[name] = forms.DateField(
                label=label,
                input_formats=ISO_DATE,
                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                error_messages={
                    "required": _("Give this day as YYYY-MM-DD, e.g. %(example)s.") % {"example": example},
                    "invalid": _("Enter the day as YYYY-MM-DD, e.g. %(example)s.") % {"example": example},
                },
            )
        self.fields["working_group"] = forms.ModelChoiceField(
            WorkingGroup.objects.all(), to_field_name="slug", required=False, label=_("Working group"),
            empty_label=_("Any"),
        )  # fmt: skip
        self.fields["country"] = forms.ChoiceField(
            choices=[("", _("Any")), *CountryCode.choices], required=False, label=_("Country takes part")
        )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("from"), cleaned.get("to")
        if start and end and start > end:
            self.add_error("to", _("Pick a day on or after the “from” day (%(day)s).") % {"day": start})
        return cleaned


class ChangesView(AnalystAccessMixin, TemplateView):
    """What changed on the record between two days (agenda.changes.changes_between)."""

    template_name = "agenda/changes.html"

    def get(self, request, *args, **kwargs):
        from .changes import changes_between
        from .tables import irritant_list_url

        form = ChangesForm(request.GET or None)
        context = {"form": form, "changes": None}
        if form.is_bound and not form.is_valid():
            return self.render_to_response(self.get_context_data(**context), status=400)
        if form.is_bound:
            data = form.cleaned_data
            start, end, group, country = data["from"], data["to"], data["working_group"], data["country"]
            changes = changes_between(start, end, working_group=group, country=country or None)
            scope = {"working_group": group.slug} if group else {}
            if country:
                scope["country"] = country

            def list_url(params):
                return irritant_list_url({**scope, **params}, as_of=end)

            context.update(
                changes=changes,
                breakdowns=[
                    (
                        _("Working group"),
                        self.breakdown_rows(changes.by_working_group, changes.kinds, list_url),
                    ),
                    (_("Country"), self.breakdown_rows(changes.by_country, changes.kinds, list_url)),
                ],
                all_url=list_url({}),
            )
        return self.render_to_response(self.get_context_data(**context))

    @staticmethod
    def breakdown_rows(breakdowns, kinds, list_url):
        """(label, link to the group's items in the list as of the end day, [count per kind])."""
        return [
            (
                row.label,
                list_url(row.list_params) if row.list_params is not None else "",
                [row.counts[kind.key] for kind in kinds],
            )
            for row in breakdowns
        ]


# --- the record as a data package ----------------------------------------------------------------
class DataPackageView(AnalystAccessMixin, View):
    """``/data/``: the whole record, or the irritant list's current filter (same query string), as a
    Frictionless Data Package zip. Bad parameters answer 400, like the CSV exports."""

    def get(self, request):
        import tempfile

        from django.http import FileResponse

        from . import datapackage

        filtered = any(key not in ("page",) for key in request.GET)
        scope = datapackage.Scope()
        extra = ""
        if filtered:
            filterset = IrritantFilterSet(request.GET, queryset=Irritant.objects.all(), request=request)
            if not filterset.is_valid():
                return HttpResponseBadRequest(
                    filterset.errors.as_text(), content_type="text/plain; charset=utf-8"
                )
            scope = datapackage.Scope(irritants=filterset.qs, as_of=filterset.as_of_date)
            extra = _("Items selected by the irritant list's filter: ?%(query)s.") % {
                "query": request.GET.urlencode()
            }
        # Spooled: small packages stay in memory, large ones go to a temporary file, never the whole
        # record as Python objects.
        file = tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024)  # noqa: SIM115 - FileResponse closes it
        datapackage.write_package(file, scope, description_extra=str(extra))
        file.seek(0)
        name = datapackage.filename(as_of=scope.as_of, filtered=filtered)
        return FileResponse(file, as_attachment=True, filename=name, content_type="application/zip")
