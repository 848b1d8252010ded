"""The admin's CSV import page: upload, preview the dry run row by row, then confirm.

The uploaded file is kept in the session between the preview and the confirmation, and checked
again in full when confirmed (the record may have changed in between)."""

import base64
import hashlib
from functools import wraps

from django import forms
from django.contrib import messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from . import imports

SESSION_KEY = "agenda_import"
MAX_UPLOAD = 5 * 1024 * 1024  # larger files: manage.py import_csv
MODEL_FOR_KIND = {
    imports.IRRITANTS: "irritant",
    imports.DEADLINES: "deadline",
    imports.STATUS_REPORTS: "statusreport",
}


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("What the file holds"), choices=list(imports.KIND_LABELS.items()))
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("UTF-8, comma-separated, with the columns of the matching CSV export."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(
                _("The file is larger than %(limit)s MB; import it with manage.py import_csv.")
                % {"limit": MAX_UPLOAD // (1024 * 1024)}
            )
        return upload


def may_import(user, kind):
    model = MODEL_FOR_KIND[kind]
    return user.has_perm(f"agenda.add_{model}") and user.has_perm(f"agenda.change_{model}")


def no_permission(model_admin, request, *, reason=None):
    """The admin's own "no permission" page (status 403), in the admin's look, with the reason."""
    context = {**model_admin.admin_site.each_context(request), "opts": model_admin.model._meta,
               "title": _("No permission"), "reason": reason}  # fmt: skip
    return TemplateResponse(request, "admin/agenda/no_permission.html", context, status=403)


def staff_only(model_admin, view):
    """A logged-in user without staff status (an analyst) gets the no-permission page, not the
    admin's login form."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.is_staff:
            return no_permission(model_admin, request)
        return view(request, *args, **kwargs)

    return wrapped


def import_view(model_admin, request):
    if not any(may_import(request.user, kind) for kind in MODEL_FOR_KIND):
        return no_permission(model_admin, request)
    context = {**model_admin.admin_site.each_context(request), "opts": model_admin.model._meta,
               "title": _("Import from CSV")}  # fmt: skip
    if request.method == "POST" and "confirm" in request.POST:
        return confirm(model_admin, request, context)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        kind = form.cleaned_data["kind"]
        if not may_import(request.user, kind):
            return no_permission(model_admin, request)
        data = form.cleaned_data["file"].read()
        try:
            result = imports.Importer(kind, user=request.user).check(data)
        except imports.ImportFileError as exc:
            form.add_error("file", str(exc))
        else:
            digest = hashlib.sha256(data).hexdigest()
            request.session[SESSION_KEY] = {"kind": kind, "data": base64.b64encode(data).decode(), "digest": digest,
                                            "name": form.cleaned_data["file"].name}  # fmt: skip
            context.update(result=result, digest=digest, file_name=form.cleaned_data["file"].name)
    context["form"] = form
    return TemplateResponse(request, "admin/agenda/irritant/import.html", context)


def confirm(model_admin, request, context):
    stored = request.session.get(SESSION_KEY)
    if not stored or stored["digest"] != request.POST.get("digest"):
        messages.error(request, _t("The previewed file is no longer available; upload it again."))
        return redirect("admin:agenda_irritant_import")
    if not may_import(request.user, stored["kind"]):
        return no_permission(model_admin, request)
    data = base64.b64decode(stored["data"])
    try:
        result = imports.Importer(stored["kind"], user=request.user).run(data, dry_run=False)
    except imports.ImportFileError as exc:
        messages.error(request, str(exc))
        return redirect("admin:agenda_irritant_import")
    if not result.ok:
        context.update(form=ImportForm(), result=result, digest=stored["digest"], file_name=stored["name"])
        messages.error(
            request, _t("The record changed since the preview; nothing was written. See the errors below.")
        )
        return TemplateResponse(request, "admin/agenda/irritant/import.html", context)
    del request.session[SESSION_KEY]
    messages.success(
        request, _t("Imported %(name)s: %(summary)s.") % {"name": stored["name"], "summary": result.summary()}
    )
    return redirect(f"admin:agenda_{MODEL_FOR_KIND[stored['kind']]}_changelist")
