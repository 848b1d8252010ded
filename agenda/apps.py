from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgendaConfig(AppConfig):
    """The work itself: agendas, working groups, irritants, deadlines and status reports."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "agenda"
    verbose_name = _("Agenda")

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import roles, signals

        # Derived values follow every write path (see agenda/models.py and agenda/signals.py).
        signals.connect()
        # Permission sets kept in the shared cache follow every change to them.
        from spp_tracker import auth_backends

        auth_backends.connect()

        # Set-up, not domain logic: the role groups need the permissions migrate creates.
        post_migrate.connect(roles.ensure_groups, sender=self, dispatch_uid="agenda.roles.ensure_groups")
        # ... and a country created later (a flushed test database, a restore) gets its editors group.
        from django.db.models.signals import post_save as saved

        saved.connect(
            roles.country_saved, sender="summits.Country", dispatch_uid="agenda.roles.country_saved"
        )
        # ... and a group's role, wherever it is set (the group's admin page, the shell), brings its permissions.
        saved.connect(roles.role_saved, sender="agenda.EditorGroup", dispatch_uid="agenda.roles.role_saved")

        # Cache invalidation, not domain logic: any write to the record changes the version token that
        # cached numbers are keyed on. (Bulk writes bump it in IrritantQuerySet.refresh_derived.)
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from .models import RecordVersion

        def record_changed(sender, **kwargs):
            # Migrations save through stand-in models (module __fake__) before this table exists.
            historical = sender.__name__.startswith("Historical") or sender.__module__ == "__fake__"
            if (
                sender._meta.app_label in ("agenda", "summits")
                and sender is not RecordVersion
                and not historical
            ):
                RecordVersion.bump()

        for signal in (post_save, post_delete, m2m_changed):
            signal.connect(record_changed, dispatch_uid=f"agenda.record_changed.{id(signal)}", weak=False)
