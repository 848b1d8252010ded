from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgendaConfig(AppConfig):
    """The work itself: agendas, working groups, irritants, deadlines and status reports."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "agenda"
    verbose_name = _("Agenda")

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import roles

        # Set-up, not domain logic: the role groups need the permissions migrate creates.
        post_migrate.connect(roles.ensure_groups, sender=self, dispatch_uid="agenda.roles.ensure_groups")
