"""Who may write what. The one place the write rules live; the admin, the import and the services
all ask these functions.

Groups (created after every ``migrate`` by ``ensure_groups``):

A group's role is data (``agenda.EditorGroup``: its ``role`` and, for country editors, the country;
editable on the group's admin page), not its name, so renaming any of them keeps its members' rights.
The names below are only those ``ensure_groups`` gives a new group.

- **Administrators**: every permission on the SPP record.
- **Country editors (CA)**, **(MX)**, **(US)**: they read everything; add and change irritants their
  country takes part in, and those items' deadlines and status reports, including statuses for all
  countries and for their own country, but never another country's per-country status. They
  delete nothing.
- **Analysts**: read and export only.

Superusers can do everything.

**The rule** (``write_error``): a write takes an object from concerning some countries *before* to
concerning some countries *after*; an editor must edit for one of them on both sides. That one
question refuses taking over another country's item (before), handing one's item to another
country or writing another country's per-country status (after), and moving another country's
deadline or status onto one's own item (before). ``irritant_write_error`` and
``child_write_error`` only say what "concerns" means for each kind of row.

**Where it is asked, and why there.** Every write path of the application builds a form or runs
the importer, and both ask the rule with the values submitted and the row as the database holds
it (never the instance a page or a history record carries): the admin's change and add pages and
the History "Revert" page use ``ModelAdmin.get_form``, the "new target / new status" rows are
inline formsets (forms.py binds the acting user to each), and ``imports.Importer`` checks each row.
On top of that, the admin's permissions ask the rule for the stored row (``has_change_permission``),
so a page the user may not change is read-only and a POST to it, or to its History "Revert", is
refused before any form runs. Bulk actions: the only one that writes is "delete selected", and
only administrators delete. A model-level check (signals) was not chosen: model code has no
acting user, and a refusal there could only be a 500, not a message on the form. Scripts in the
shell and ``load_seed`` run as the operator, outside the roles.

**Sources** (``source_write_error``) are shared: the same page is cited by items of several
countries, by reports, summits and working groups. Country editors may add sources, and change an
existing one only while everything that cites it is theirs to edit; otherwise they cite a new
source and an administrator corrects the shared one. Only administrators delete sources.
"""

from django.contrib.auth.models import Group, Permission
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .choices import GroupRole

# The names ensure_groups gives a new group only; rights follow the group's role (EditorGroup).
ADMINISTRATORS = "Administrators"
ANALYSTS = "Analysts"
COUNTRY_EDITORS = "Country editors ({code})"

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


def role_permissions(role):
    """The permissions a group with ``role`` holds: the one place they are decided (``ensure_groups``
    at every migrate, and ``role_saved`` whenever a group's role is set, in the admin or anywhere)."""
    if role == GroupRole.ADMINISTRATORS:
        return _permissions(["view", "add", "change", "delete"], RECORD_MODELS)
    view = _permissions(["view"], RECORD_MODELS)
    if role == GroupRole.COUNTRY_EDITORS:
        return view + _permissions(["add", "change"], EDITOR_WRITES)
    return view


def ensure_groups(**kwargs):
    """Create or update the role groups (idempotent). Connected to post_migrate.

    Each role's group is found by its link (``EditorGroup``), so a renamed group is kept, not
    recreated, and a role given in the admin stays; only a role (or a country) without a linked group
    gets a new one. Every linked group then gets its role's permissions. Skipped after ``migrate``
    back to before the roles were data (the tables are older than this code)."""
    if not _schema_has_roles(kwargs.get("apps")):
        return
    from summits.choices import CountryCode
    from summits.models import Country

    from .models import EditorGroup

    link_role_group(GroupRole.ADMINISTRATORS, ADMINISTRATORS)
    link_role_group(GroupRole.ANALYSTS, ANALYSTS)
    countries = {c.code: c for c in Country.objects.filter(code__in=CountryCode.values)}
    editor = role_permissions(GroupRole.COUNTRY_EDITORS)
    for code in CountryCode.values:
        if code in countries:
            link_editor_group(countries[code])
        else:  # no such country yet (a flushed test database): linked when it is created
            Group.objects.get_or_create(name=COUNTRY_EDITORS.format(code=code))[0].permissions.set(editor)
    by_role = {role: role_permissions(role) for role in GroupRole.values}
    for link in EditorGroup.objects.select_related("group"):
        link.group.permissions.set(by_role[link.role])


def role_saved(sender, instance, raw=False, **kwargs):
    """post_save of a group's role link: the group holds that role's permissions from now on."""
    if not raw:
        instance.group.permissions.set(role_permissions(instance.role))


def _schema_has_roles(state):
    """Whether the migrated state (``post_migrate``'s ``apps``; None: the current one) has the
    role links (migration 0010)."""
    if state is None:
        return True
    try:
        state.get_model("agenda", "EditorGroup")._meta.get_field("role")
    except (LookupError, FieldDoesNotExist):
        return False
    return True


def link_role_group(role, name):
    """The group that holds ``role`` (administrators, analysts): the one linked to it, whatever its
    name now; else the group named ``name``, created if missing and linked now."""
    from .models import EditorGroup

    link = EditorGroup.objects.select_related("group").filter(role=role).order_by("pk").first()
    if link is not None:
        return link.group
    group = Group.objects.get_or_create(name=name)[0]
    # A group of that name given another role in the admin keeps it: the name is only a label.
    EditorGroup.objects.get_or_create(group=group, defaults={"role": role, "country": None})
    return group


def link_editor_group(country, *, create=True):
    """The editors group of ``country``: the one linked to it (``EditorGroup``, whatever its name
    now); else the group named "Country editors (XX)", linked now and created if missing (unless
    ``create`` is false). None when there is none and ``create`` is false."""
    from .models import EditorGroup

    link = EditorGroup.objects.select_related("group").filter(country=country).first()
    if link is not None:
        return link.group
    name = COUNTRY_EDITORS.format(code=country.code)
    group = Group.objects.get_or_create(name=name)[0] if create else Group.objects.filter(name=name).first()
    if group is None or EditorGroup.objects.filter(group=group).exists():
        return group
    EditorGroup.objects.create(group=group, country=country)
    return group


def country_saved(sender, instance, created, raw=False, **kwargs):
    """post_save of a country (set-up, as ensure_groups): a new country gets its editors group.
    Loading a dump or a test database's snapshot (``raw``) brings its own groups and links."""
    if created and not raw:
        link_editor_group(instance)


def is_administrator(user):
    """Superusers, and members of a group whose role is administrators (whatever its name)."""
    return user.is_superuser or any(_role(g) == GroupRole.ADMINISTRATORS for g in _groups(user))


def editor_countries(user):
    """Country codes the user edits for (empty for administrators, analysts and anonymous users)."""
    return {g.editor_group.country.code for g in _groups(user) if _role(g) == GroupRole.COUNTRY_EDITORS}


def _role(group):
    link = getattr(group, "editor_group", None)
    return link.role if link is not None else None


def _groups(user):
    if not user.is_authenticated:
        return []
    if not hasattr(user, "_spp_groups"):
        # One query for the groups and their countries, however many groups the user is in.
        user._spp_groups = list(user.groups.select_related("editor_group__country"))
    return user._spp_groups


def _codes(countries):
    return {c.code for c in countries}


def write_error(user, *, before, after, label=""):
    """Why ``user`` may not make a write that takes an object from concerning the countries
    ``before`` to concerning ``after`` (sets of country codes; ``before`` is None for a new object).
    None when the write is allowed. THE rule: every write path asks it (see the module docstring).

    An editor must edit for one of the countries the object concerns both before the change (so
    nobody takes over or rewrites another country's object) and after it (so nobody hands their
    object to, or writes it for, another country). What an object concerns: an irritant, its
    countries; a deadline or an all-country status report, its irritant's countries; a
    per-country status report, that country (when it takes part in the irritant).
    """
    if is_administrator(user):
        return None
    mine = editor_countries(user)
    if not mine:
        return _("Only administrators and country editors can change the record.")
    label = label or _("This item")
    if before is not None and not set(before) & mine:
        return _(
            "%(label)s concerns %(countries)s; only the editors of %(countries)s can change it "
            "(you edit for %(mine)s)."
        ) % {"label": label, "countries": _codes_text(before), "mine": _codes_text(mine)}
    if not set(after) & mine:
        if before is None:
            return _(
                "%(label)s concerns %(countries)s, and you edit for %(mine)s: only the editors of "
                "%(countries)s can write it."
            ) % {"label": label, "countries": _codes_text(after), "mine": _codes_text(mine)}
        return _(
            "After this change %(label)s would concern %(countries)s only; you edit for %(mine)s, "
            "so keep one of your countries in it or ask an administrator."
        ) % {"label": label, "countries": _codes_text(after), "mine": _codes_text(mine)}
    return None


def _codes_text(codes):
    return ", ".join(sorted(codes)) or _("no country")


def concerned(irritant_codes, country_code=""):
    """The countries a row concerns: the irritant's, or one of them for a per-country status."""
    codes = set(irritant_codes)
    return codes & {country_code} if country_code else codes


def stored_countries(irritant):
    """The codes of the countries an irritant has in the database now (None for a new one).
    Reads the table, not the instance: a form's or a history record's instance may differ."""
    if irritant is None or irritant.pk is None:
        return None
    from summits.models import Country

    return set(Country.objects.filter(irritants=irritant.pk).values_list("code", flat=True))


def irritant_write_error(user, irritant, *, countries=None):
    """``write_error`` for an irritant: its stored countries before, ``countries`` (codes) after
    (unchanged when None)."""
    if is_administrator(user):
        return None
    before = _prefetched_codes(irritant)
    after = set(countries) if countries is not None else (before or set())
    return write_error(user, before=before, after=after, label=irritant.ref or "")


def _prefetched_codes(irritant):
    if irritant.pk is None:
        return None
    if "countries" in getattr(irritant, "_prefetched_objects_cache", {}):
        return _codes(irritant.countries.all())
    return stored_countries(irritant)


def child_write_error(user, *, stored=None, irritant, country_code=""):
    """``write_error`` for a deadline or status report: ``stored`` is the row as it is in the
    database (None for a new one); ``irritant``/``country_code`` what it will be."""
    if is_administrator(user):
        return None
    mine = editor_countries(user)
    states = [(irritant, country_code)]
    if stored is not None:
        states.insert(0, (stored.irritant, _country_code(stored)))
    for item, code in states:  # the same rule, said plainly for the commonest case
        if code and mine and code not in mine:
            return _(
                "You edit for %(mine)s; the per-country status of %(country)s is for its own editors (%(ref)s)."
            ) % {"mine": _codes_text(mine), "country": code, "ref": item.ref}
    before = None
    if stored is not None:
        before = concerned(stored_countries(stored.irritant), _country_code(stored))
    after = concerned(_prefetched_codes(irritant) or set(), country_code)
    return write_error(user, before=before, after=after, label=irritant.ref)


def _country_code(row):
    return row.country.code if getattr(row, "country_id", None) else ""


def status_write_error(user, irritant, country_code):
    """Why ``user`` may not write a new status of ``irritant`` for ``country_code`` ('' = all)."""
    return child_write_error(user, irritant=irritant, country_code=country_code)


def row_write_error(user, obj):
    """Whether ``user`` may change ``obj`` (an irritant, deadline or status report) as it is
    stored now: the admin's change permission, and so the History revert, ask this."""
    if not hasattr(obj, "irritant_id"):
        return irritant_write_error(user, obj)
    related = ["irritant", "country"] if hasattr(obj, "country_id") else ["irritant"]
    stored = type(obj).objects.select_related(*related).filter(pk=obj.pk).first() or obj
    return child_write_error(
        user, stored=stored, irritant=stored.irritant, country_code=_country_code(stored)
    )


def source_write_error(user, source):
    """Why ``user`` may not change or delete ``source`` (None when allowed).

    A source is shared: the same page may be cited by items of several countries, by reports,
    summits and working groups. Administrators may change any source; country editors may add
    sources, and change one only while everything that cites it is theirs to edit: no summit,
    report, working group or NACC row cites it, and every irritant citing it (itself, or through
    a target or status report) concerns one of their countries. Otherwise they cite a new source
    instead, and an administrator corrects the shared one.
    """
    if is_administrator(user) or source.pk is None:
        return None
    mine = editor_countries(user)
    if not mine:
        return _("Only administrators and country editors can change the record.")
    shared = [
        str(type(source)._meta.get_field(name).related_model._meta.verbose_name_plural)
        for name in ("summits", "reports", "working_groups", "nacc_recommendations", "nacc_topics")
        if getattr(source, name).exists()
    ]
    if shared:
        return _("This source is also cited by %(what)s; only an administrator can change it.") % {
            "what": ", ".join(shared)
        }
    from agenda.models import Irritant

    citing = Irritant.objects.filter(
        Q(sources=source) | Q(deadlines__sources=source) | Q(status_reports__sources=source)
    )
    others = citing.exclude(countries__code__in=mine).values_list("ref", flat=True).distinct()
    others = sorted(set(others))
    if others:
        return _(
            "This source is also cited by %(refs)s, which you do not edit; cite a new source instead, "
            "or ask an administrator to correct this one."
        ) % {"refs": ", ".join(others[:10]) + (" …" if len(others) > 10 else "")}
    return None
