"""Who may write what. The one place the write rules live; the admin, the import and the services
all ask these functions.

Groups (created after every ``migrate`` by ``ensure_groups``):

- **Administrators**: every permission on the SPP record.
- **Country editors (CA)**, **(MX)**, **(US)**: read everything; add and change irritants their
  country takes part in, and those items' deadlines and status reports, including statuses for all
  countries and for their own country, but never another country's per-country status. They
  delete nothing.
- **Analysts**: read and export only.

Superusers can do everything.
"""

import re

from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

ADMINISTRATORS = "Administrators"
ANALYSTS = "Analysts"
COUNTRY_EDITORS = "Country editors ({code})"
_COUNTRY_EDITORS_RE = re.compile(r"^Country editors \((?P<code>[A-Z]{2})\)$")

RECORD_MODELS = {
    "summits": ["country", "source", "summit", "report"],
    "agenda": [
        "agenda",
        "workinggroup",
        "leaddepartment",
        "signatureinitiative",
        "irritant",
        "deadline",
        "statusreport",
        "naccrecommendation",
        "nacctopic",
        "lineage",
    ],
}
EDITOR_WRITES = {"agenda": ["irritant", "deadline", "statusreport", "lineage"], "summits": ["source"]}


def _permissions(actions, models_by_app):
    codenames = [
        (app, f"{action}_{model}")
        for app, models in models_by_app.items()
        for model in models
        for action in actions
    ]
    found = Permission.objects.filter(
        content_type__app_label__in=models_by_app.keys(), codename__in=[c for _, c in codenames]
    ).select_related("content_type")
    return [p for p in found if (p.content_type.app_label, p.codename) in codenames]


def ensure_groups(**kwargs):
    """Create or update the role groups (idempotent). Connected to post_migrate."""
    from summits.choices import CountryCode

    view = _permissions(["view"], RECORD_MODELS)
    everything = _permissions(["view", "add", "change", "delete"], RECORD_MODELS)
    editor = view + _permissions(["add", "change"], EDITOR_WRITES)
    for name, permissions in [(ADMINISTRATORS, everything), (ANALYSTS, view)] + [
        (COUNTRY_EDITORS.format(code=code), editor) for code in CountryCode.values
    ]:
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.set(permissions)


def is_administrator(user):
    return user.is_superuser or any(g.name == ADMINISTRATORS for g in _groups(user))


def editor_countries(user):
    """Country codes the user edits for (empty for administrators, analysts and anonymous users)."""
    codes = set()
    for group in _groups(user):
        match = _COUNTRY_EDITORS_RE.match(group.name)
        if match:
            codes.add(match["code"])
    return codes


def _groups(user):
    if not user.is_authenticated:
        return []
    if not hasattr(user, "_spp_groups"):
        user._spp_groups = list(user.groups.all())
    return user._spp_groups


def _codes(countries):
    return {c.code for c in countries}


def irritant_write_error(user, irritant, *, countries=None):
    """Why ``user`` may not write ``irritant`` (None when allowed). ``countries``: the ones it will have."""
    if is_administrator(user):
        return None
    mine = editor_countries(user)
    if not mine:
        return _("Only administrators and country editors can change the record.")
    taking_part = set(countries) if countries is not None else _codes(irritant.countries.all())
    if not taking_part & mine:
        return _("%(ref)s does not involve %(countries)s; only its own countries' editors can change it.") % {
            "ref": irritant.ref or _("This item"),
            "countries": ", ".join(sorted(mine)),
        }
    return None


def status_write_error(user, irritant, country_code):
    """Why ``user`` may not write a status of ``irritant`` for ``country_code`` ('' = all countries)."""
    error = irritant_write_error(user, irritant)
    if error or is_administrator(user):
        return error
    if country_code and country_code not in editor_countries(user):
        return _("You edit for %(mine)s; the per-country status of %(country)s is for its own editors.") % {
            "mine": ", ".join(sorted(editor_countries(user))),
            "country": country_code,
        }
    return None


def check(error):
    """Raise PermissionDenied with the reason, if there is one."""
    if error:
        raise PermissionDenied(error)
