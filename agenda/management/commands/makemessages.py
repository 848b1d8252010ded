"""Django's makemessages, also extracting ``_t("...")``: modules that already use ``_`` for
gettext_lazy import the immediate gettext as ``_t`` (agenda/imports/, agenda/admin_import.py).
Django documents this way of passing options to xgettext ("Customizing the makemessages command")."""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    xgettext_options = [*makemessages.Command.xgettext_options, "--keyword=_t"]
