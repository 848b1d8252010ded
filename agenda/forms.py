"""Admin forms for the rules a single row cannot check on its own: who may write it, on what basis,
and whether someone else saved it first."""

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


class VersionCheckMixin(forms.Form):
    """Refuses to save over a change someone else saved after this form was opened."""

    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["loaded_version"].initial = self.instance.version

    def clean(self):
        cleaned = super().clean()
        loaded = cleaned.get("loaded_version")
        if self.instance.pk and loaded is not None:
            model = type(self.instance)
            current = (
                model.objects.select_for_update()
                .filter(pk=self.instance.pk)
                .values_list("version", flat=True)
            )
            current = current.first()
            if current is not None and current != loaded:
                raise ValidationError(self.conflict_message(), code="stale")
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
        if self.user is not None and "countries" in cleaned:
            countries = {c.code for c in cleaned["countries"]}
            error = roles.irritant_write_error(self.user, self.instance, countries=countries)
            if error:
                raise ValidationError(
                    {"countries": error} if not roles.is_administrator(self.user) else error
                )
        return cleaned


class ChildForm(VersionCheckMixin, UserBoundForm):
    """A deadline or status report: the user must be allowed to write it for that item and country."""

    def clean(self):
        cleaned = super().clean()
        irritant = cleaned.get("irritant") or getattr(self.instance, "irritant", None)
        if self.user is not None and irritant is not None and irritant.pk:
            error = self.write_error(irritant, cleaned)
            if error:
                raise ValidationError(error, code="permission")
        return cleaned

    def write_error(self, irritant, cleaned):
        return roles.irritant_write_error(self.user, irritant)


class DeadlineAdminForm(ChildForm):
    pass


class StatusReportAdminForm(ChildForm):
    def write_error(self, irritant, cleaned):
        country = cleaned.get("country")
        return roles.status_write_error(self.user, irritant, country.code if country else "")

    def clean(self):
        cleaned = super().clean()
        if self.has_changed() and not (
            cleaned.get("sources") or cleaned.get("report") or cleaned.get("note")
        ):
            raise ValidationError(
                {
                    "note": _(
                        "Say on what basis the status changed: cite a source or the report, or write a note."
                    )
                }
            )
        return cleaned
