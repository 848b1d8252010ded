"""Admin forms for the rules a single row cannot check on its own: who may write it (roles.py),
on what basis, and whether someone else saved it first.

Every admin write path builds one of these forms: the change and add pages and the History
"Revert" page (``ModelAdmin.get_form``), and the "new target / new status" rows (the inlines'
formsets). So the role rule and the version check live here once, with the acting user bound to
the form class (``with_user``).
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from . import roles


class UserBoundForm(forms.ModelForm):
    """The admin sets ``user`` on the form class (see ``with_user``)."""

    user = None

    @classmethod
    def with_user(cls, user):
        return type(cls.__name__, (cls,), {"user": user})


def stored_version(instance):
    """The version of ``instance``'s row in the database now (None when it has no row)."""
    return type(instance).objects.filter(pk=instance.pk).values_list("version", flat=True).first()


class VersionCheckMixin(forms.Form):
    """Refuses to save over a change someone else saved after this form was opened.

    The form carries the version of the row as it was when the page was rendered (a hidden field
    every edit page renders: the admins add it to their fieldsets). On save, the row is read
    again under a lock (the admin wraps each save in a transaction) and a different version
    means someone saved in between: the save is refused, naming who and when. A form without
    the version (a hand-made POST) is refused too. The History "Revert" form carries the
    *current* version, not the historical one, so a revert is checked like any other edit."""

    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["loaded_version"].initial = stored_version(self.instance)

    def clean(self):
        cleaned = super().clean()
        if not self.instance.pk or stored_version(self.instance) is None:
            return cleaned
        loaded = cleaned.get("loaded_version")
        if loaded is None:
            raise ValidationError(
                _("This form does not say which version of the record it edits; open the page again."),
                code="stale",
            )
        current = (
            type(self.instance)
            .objects.select_for_update()
            .filter(pk=self.instance.pk)
            .values_list("version", flat=True)
            .first()
        )
        if current != loaded:
            raise ValidationError(self.conflict_message(), code="stale")
        self.instance.version = current  # a revert saves over the current row, not the old one
        return cleaned

    def conflict_message(self):
        latest = self.instance.history.order_by("-history_date").select_related("history_user").first()
        who = latest.history_user if latest and latest.history_user else _("another user")
        when = date_format(latest.history_date, "DATETIME_FORMAT") if latest else ""
        return _(
            "%(who)s saved this record (%(when)s) after you opened it, so your changes were not saved. "
            "Open it again to see their version, then re-apply your changes."
        ) % {"who": who, "when": when}


class IrritantAdminForm(VersionCheckMixin, UserBoundForm):
    def clean(self):
        cleaned = super().clean()
        if "countries" not in cleaned:
            return cleaned
        codes = {c.code for c in cleaned["countries"]}
        if self.user is not None:
            error = roles.write_error(
                self.user,
                before=roles.stored_countries(self.instance),
                after=codes,
                label=self.instance.ref or cleaned.get("ref") or "",
            )
            if error:
                raise ValidationError({"countries": error})
        if self.instance.pk:
            error = self.instance.countries_change_error(codes)
            if error:
                raise ValidationError({"countries": error})
        return cleaned


class ChildForm(VersionCheckMixin, UserBoundForm):
    """A deadline or status report: the user must be allowed to write it as it is stored (for a
    change or revert) and as it will be, for that item and country."""

    def clean(self):
        cleaned = super().clean()
        irritant = cleaned.get("irritant") or getattr(self.instance, "irritant", None)
        if self.user is not None and irritant is not None and irritant.pk:
            stored = None
            if self.instance.pk:
                stored = (
                    type(self.instance).objects.filter(pk=self.instance.pk).select_related("irritant").first()
                )
            country = cleaned.get("country")
            error = roles.child_write_error(
                self.user, stored=stored, irritant=irritant, country_code=country.code if country else ""
            )
            if error:
                raise ValidationError(error, code="permission")
        return cleaned


class DeadlineAdminForm(ChildForm):
    pass


class StatusReportAdminForm(ChildForm):
    def clean(self):
        cleaned = super().clean()
        if self.has_changed():  # the basis rule is the model's (StatusReport.clean), given the sources
            self.instance.basis_sources = list(cleaned.get("sources") or [])
        return cleaned
