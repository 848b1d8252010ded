"""Every role against every write path, on an item of its own country and on another's.

Each attempt sends what the page offers: the form as the admin renders it (to an administrator,
so a role that only sees a read-only page still gets a complete form to forge), changed as the
person would, and POSTed as the role. An attempt is "allowed" when the record changed."""

from contextlib import suppress
from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from agenda.models import Irritant, StatusReport

from ..factories import CountryFactory, IrritantFactory, UserFactory, WorkingGroupFactory
from ..pages import form_data

pytestmark = pytest.mark.django_db

PATHS = ["change", "add", "revert", "bulk", "inline", "import"]
ROLES = {
    # role: (groups, staff, country of the items it tries)
    "administrator": (["Administrators"], True, ["MX", "US"]),
    "editor, own item": (["Country editors (CA)"], True, ["CA", "US"]),
    "editor, other's item": (["Country editors (CA)"], True, ["MX", "US"]),
    "analyst": (["Analysts"], True, ["CA", "US"]),
    "staff, no group": ([], True, ["CA", "US"]),
}
ALLOWED = {
    "administrator": set(PATHS),
    "editor, own item": {"change", "add", "revert", "inline", "import"},  # editors delete nothing
    "editor, other's item": set(),
    "analyst": set(),
    "staff, no group": set(),
}


def country_pks(codes):
    return [str(CountryFactory(code=code).pk) for code in codes]


def rendered(admin_client, url, **changes):
    page = admin_client.get(url)
    assert page.status_code == 200
    form_id = "historicalirritant_form" if "/history/" in url else "irritant_form"
    return form_data(page.content.decode(), form_id=form_id, changes=changes)


def attempt(path, client, user, admin_client, item, codes, tmp_path):
    """Make one write attempt; return whether it changed the record."""
    change = reverse("admin:agenda_irritant_change", args=[item.pk])
    if path == "change":
        client.post(change, rendered(admin_client, change, title="Changed"))
        return Irritant.objects.get(pk=item.pk).title == "Changed"
    if path == "add":
        group = WorkingGroupFactory()
        url = reverse("admin:agenda_irritant_add")
        data = rendered(admin_client, url, ref="P-T-NEW", title="New", agenda=str(group.agenda_id),
                        working_group=str(group.pk), countries=country_pks(codes), confidence="verbatim")  # fmt: skip
        client.post(url, data)
        return Irritant.objects.filter(ref="P-T-NEW").exists()
    if path == "revert":
        record = item.history.order_by("history_date").first()
        url = reverse("admin:agenda_irritant_simple_history", args=[item.pk, record.history_id])
        client.post(url, rendered(admin_client, url, title="Reverted", countries=country_pks(["CA"])))
        return Irritant.objects.get(pk=item.pk).title == "Reverted"
    if path == "bulk":
        client.post(
            reverse("admin:agenda_irritant_changelist"),
            {"action": "delete_selected", "_selected_action": [str(item.pk)], "post": "yes"},
        )
        return not Irritant.objects.filter(pk=item.pk).exists()
    if path == "inline":
        data = rendered(admin_client, change, **{"status_reports-2-0-as_of": "2007-08-21",
                        "status_reports-2-0-status": "delayed", "status_reports-2-0-note": "Montebello"})  # fmt: skip
        client.post(change, data)
        return StatusReport.objects.filter(irritant=item).exists()
    if path == "import":
        file = tmp_path / f"{item.ref}.csv"
        file.write_text(f"ref,title,countries\n{item.ref},Imported,CA\n", encoding="utf-8")
        with suppress(CommandError):  # refused: the command exits with the errors
            call_command("import_csv", str(file), kind="irritants", user=user.username,
                         stdout=StringIO(), stderr=StringIO())  # fmt: skip
        return Irritant.objects.get(pk=item.pk).title == "Imported"
    raise AssertionError(path)


def test_each_role_writes_only_what_it_may(tmp_path, capsys):
    admin_client = Client()
    admin_client.force_login(UserFactory(is_staff=True, is_superuser=True))
    outcomes = {}
    for n, (role, (groups, staff, codes)) in enumerate(ROLES.items()):
        user = UserFactory(is_staff=staff)
        user.groups.set([Group.objects.get(name=name) for name in groups])
        client = Client()
        client.force_login(user)
        for path in PATHS:
            item = IrritantFactory(ref=f"S-M-{n}-{path}", title="Original", countries=codes)
            outcomes[(role, path)] = attempt(path, client, user, admin_client, item, codes, tmp_path)
            Irritant.objects.filter(ref="P-T-NEW").delete()

    allowed = sum(outcomes.values())
    refused = len(outcomes) - allowed
    with capsys.disabled():
        print(f"\nrole x write path: {len(outcomes)} attempts, {allowed} allowed, {refused} refused")
        for role in ROLES:
            print(
                f"  {role:22} "
                + " ".join(f"{p}={'allowed' if outcomes[(role, p)] else 'refused'}" for p in PATHS)
            )
    assert {key for key, written in outcomes.items() if written} == {
        (role, path) for role, paths in ALLOWED.items() for path in paths
    }
