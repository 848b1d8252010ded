"""Each role against each write action, through the admin, including what must be refused."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from agenda import roles
from agenda.models import Deadline, Irritant, StatusReport

from ..factories import CountryFactory, DeadlineFactory, IrritantFactory, StatusReportFactory, UserFactory
from ..pages import submit

pytestmark = pytest.mark.django_db


def member_of(*group_names):
    user = UserFactory(is_staff=True)
    user.groups.set([Group.objects.get(name=name) for name in group_names])
    return user


@pytest.fixture
def mx_editor():
    return member_of("Country editors (MX)")


@pytest.fixture
def ca_editor():
    return member_of("Country editors (CA)")


@pytest.fixture
def analyst_member():
    return member_of("Analysts")


@pytest.fixture
def administrator():
    return member_of("Administrators")


@pytest.fixture
def mexican_item():
    return IrritantFactory(ref="S-T-MX", countries=["MX", "US"])


@pytest.fixture
def canadian_item():
    return IrritantFactory(ref="S-T-CA", countries=["CA", "US"])


def test_migrate_creates_the_role_groups():
    names = set(Group.objects.values_list("name", flat=True))

    assert {
        "Administrators",
        "Analysts",
        "Country editors (CA)",
        "Country editors (MX)",
        "Country editors (US)",
    } <= names
    analysts = Group.objects.get(name="Analysts").permissions.values_list("codename", flat=True)
    assert "view_irritant" in analysts
    assert not [c for c in analysts if not c.startswith("view_")]


def test_ensure_groups_is_idempotent():
    roles.ensure_groups()
    roles.ensure_groups()

    assert Group.objects.filter(name="Analysts").count() == 1


def new_status_data(irritant, *, country="", status="completed"):
    data = {
        "ref": irritant.ref,
        "title": irritant.title,
        "agenda": irritant.agenda_id,
        "working_group": irritant.working_group_id,
        "countries": [c.pk for c in irritant.countries.all()] if irritant.pk else [],
        "category": "",
        "category_basis": "unclassified",
        "confidence": "verbatim",
        "loaded_version": irritant.version,
        "status_reports-2-0-as_of": "2007-08-21",
        "status_reports-2-0-status": status,
        "status_reports-2-0-country": CountryFactory(code=country).pk if country else "",
        "status_reports-2-0-confidence": "verbatim",
        "status_reports-2-0-note": "Stated in the Montebello joint statement.",
    }
    for prefix, total in [
        ("deadlines", 0),
        ("deadlines-2", 0),
        ("status_reports", 0),
        ("status_reports-2", 1),
    ]:
        data[f"{prefix}-TOTAL_FORMS"] = str(total)
        data[f"{prefix}-INITIAL_FORMS"] = "0"
    return data


def post_change(client, user, irritant, data):
    client.force_login(user)
    return client.post(reverse("admin:agenda_irritant_change", args=[irritant.pk]), data)


class TestCountryEditor:
    def test_records_an_all_country_status_on_an_item_of_its_country(self, client, mx_editor, mexican_item):
        response = post_change(client, mx_editor, mexican_item, new_status_data(mexican_item))

        assert response.status_code == 302
        assert StatusReport.objects.get(irritant=mexican_item).created_by == mx_editor

    def test_records_its_own_country_status(self, client, mx_editor, mexican_item):
        response = post_change(client, mx_editor, mexican_item, new_status_data(mexican_item, country="MX"))

        assert response.status_code == 302
        assert StatusReport.objects.get(irritant=mexican_item).country.code == "MX"

    def test_cannot_record_another_countrys_status(self, client, mx_editor):
        shared = IrritantFactory(ref="S-T-ALL", countries=["CA", "MX", "US"])

        response = post_change(client, mx_editor, shared, new_status_data(shared, country="CA"))

        assert response.status_code == 200  # the form comes back with the error
        assert not StatusReport.objects.exists()

    def test_cannot_change_an_item_its_country_is_not_part_of(self, client, mx_editor, canadian_item):
        data = new_status_data(canadian_item)
        data["title"] = "Changed by Mexico"

        response = post_change(client, mx_editor, canadian_item, data)

        assert response.status_code == 403
        assert Irritant.objects.get(pk=canadian_item.pk).title != "Changed by Mexico"
        assert not StatusReport.objects.exists()

    def test_can_read_an_item_its_country_is_not_part_of(self, client, mx_editor, canadian_item):
        client.force_login(mx_editor)

        response = client.get(reverse("admin:agenda_irritant_change", args=[canadian_item.pk]))

        assert response.status_code == 200
        assert not response.context["has_change_permission"]

    def test_cannot_change_another_countrys_per_country_status(self, client, ca_editor):
        shared = IrritantFactory(countries=["CA", "MX", "US"])
        mexico_status = StatusReportFactory(irritant=shared, country=CountryFactory(code="MX"), note="x")
        client.force_login(ca_editor)

        response = client.post(
            reverse("admin:agenda_statusreport_change", args=[mexico_status.pk]),
            {
                "irritant": shared.pk,
                "as_of": "2006-06-15",
                "status": "completed",
                "country": "",
                "confidence": "verbatim",
            },
        )

        assert response.status_code == 403
        assert StatusReport.objects.get(pk=mexico_status.pk).status == mexico_status.status

    def test_cannot_add_an_item_without_its_country(self, client, mx_editor):
        from ..factories import WorkingGroupFactory

        group = WorkingGroupFactory()
        client.force_login(mx_editor)
        data = new_status_data(IrritantFactory.build(ref="P-T-NEW", working_group=group, agenda=group.agenda))
        data["countries"] = [CountryFactory(code="CA").pk]
        data["status_reports-2-TOTAL_FORMS"] = "0"

        response = client.post(reverse("admin:agenda_irritant_add"), data)

        assert response.status_code == 200
        assert "countries" in response.context["adminform"].form.errors
        assert not Irritant.objects.filter(ref="P-T-NEW").exists()

    def test_cannot_delete(self, client, mx_editor, mexican_item):
        deadline = DeadlineFactory(irritant=mexican_item)
        client.force_login(mx_editor)

        response = client.post(reverse("admin:agenda_deadline_delete", args=[deadline.pk]), {"post": "yes"})

        assert response.status_code == 403
        assert Deadline.objects.filter(pk=deadline.pk).exists()


class TestAnalyst:
    def test_reads_but_cannot_write(self, client, analyst_member, mexican_item):
        client.force_login(analyst_member)

        assert client.get(reverse("admin:agenda_irritant_change", args=[mexican_item.pk])).status_code == 200
        response = client.post(
            reverse("admin:agenda_irritant_change", args=[mexican_item.pk]), new_status_data(mexican_item)
        )

        assert response.status_code == 403
        assert not StatusReport.objects.exists()

    def test_cannot_add(self, client, analyst_member):
        client.force_login(analyst_member)

        assert client.get(reverse("admin:agenda_statusreport_add")).status_code == 403


class TestAdministrator:
    def test_writes_any_country_status(self, client, administrator, canadian_item):
        response = post_change(
            client, administrator, canadian_item, new_status_data(canadian_item, country="CA")
        )

        assert response.status_code == 302

    def test_deletes(self, client, administrator, mexican_item):
        deadline = DeadlineFactory(irritant=mexican_item)
        client.force_login(administrator)

        response = client.post(reverse("admin:agenda_deadline_delete", args=[deadline.pk]), {"post": "yes"})

        assert response.status_code == 302
        assert not Deadline.objects.filter(pk=deadline.pk).exists()


def test_status_write_rules_in_one_place(mx_editor, administrator):
    shared = IrritantFactory(countries=["CA", "MX", "US"])
    elsewhere = IrritantFactory(countries=["CA", "US"])

    assert roles.status_write_error(mx_editor, shared, "MX") is None
    assert roles.status_write_error(mx_editor, shared, "") is None
    assert roles.status_write_error(mx_editor, shared, "CA")
    assert roles.status_write_error(mx_editor, elsewhere, "")
    assert roles.status_write_error(administrator, elsewhere, "CA") is None


class TestEditorGroupLink:
    """The country a group edits for is data (agenda.EditorGroup), not read from the group's name."""

    def test_renaming_the_group_in_the_admin_keeps_the_editors_rights(self, client, mx_editor, mexican_item):
        group = Group.objects.get(name="Country editors (MX)")
        client.force_login(UserFactory(is_staff=True, is_superuser=True))
        response = submit(
            client,
            reverse("admin:auth_group_change", args=[group.pk]),
            changes={"name": "Mexican editors (SE, SCT)"},
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        group.refresh_from_db()
        assert group.name == "Mexican editors (SE, SCT)"

        mx_editor = type(mx_editor).objects.get(pk=mx_editor.pk)  # a fresh request's user
        assert roles.editor_countries(mx_editor) == {"MX"}
        assert roles.irritant_write_error(mx_editor, mexican_item) is None

    def test_migrate_keeps_a_renamed_group_instead_of_recreating_it(self, mx_editor):
        Group.objects.filter(name="Country editors (MX)").update(name="Mexican editors")

        roles.ensure_groups()

        assert not Group.objects.filter(name="Country editors (MX)").exists()
        assert Group.objects.get(name="Mexican editors").editor_group.country.code == "MX"
        assert "change_irritant" in Group.objects.get(name="Mexican editors").permissions.values_list(
            "codename", flat=True
        )

    def test_the_admin_moves_a_groups_rights_to_another_country(self, client, mx_editor, mexican_item):
        ca_group = Group.objects.get(name="Country editors (CA)")
        ca_group.delete()  # so Canada has no group, and MX's can be moved there
        mx_group = Group.objects.get(name="Country editors (MX)")
        canada = CountryFactory(code="CA")
        client.force_login(UserFactory(is_staff=True, is_superuser=True))
        response = submit(
            client,
            reverse("admin:auth_group_change", args=[mx_group.pk]),
            changes={"editor_group-0-country": str(canada.pk)},
        )
        assert response.status_code == 302, response.content.decode()[:2000]

        mx_editor = type(mx_editor).objects.get(pk=mx_editor.pk)
        assert roles.editor_countries(mx_editor) == {"CA"}
        assert roles.irritant_write_error(mx_editor, mexican_item) is not None

    def test_reading_the_countries_is_one_query_however_many_groups(self, django_assert_num_queries):
        one = member_of("Country editors (MX)")
        three = member_of("Country editors (MX)", "Country editors (CA)", "Country editors (US)")
        for user in (one, three):
            user = type(user).objects.get(pk=user.pk)
            with django_assert_num_queries(1):
                codes = roles.editor_countries(user)
            assert len(codes) == len(user.groups.all())


def edit_group_in_admin(client, group, changes):
    """A superuser submits the group's admin page as rendered, with ``changes``."""
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return submit(client, reverse("admin:auth_group_change", args=[group.pk]), changes=changes)


class TestRolesAreData:
    """Administrators and analysts are roles on the group's link (EditorGroup.role), like the editors'
    country: a group's name is only a label (issue 12)."""

    def test_renaming_the_administrators_group_in_the_admin_keeps_their_rights(
        self, client, administrator, canadian_item
    ):
        group = Group.objects.get(name="Administrators")
        response = edit_group_in_admin(client, group, {"name": "SPP secretariat"})
        assert response.status_code == 302, response.content.decode()[:2000]
        group.refresh_from_db()
        assert group.name == "SPP secretariat"

        administrator = type(administrator).objects.get(pk=administrator.pk)  # a fresh request's user
        assert roles.is_administrator(administrator)
        assert roles.irritant_write_error(administrator, canadian_item) is None
        assert roles.status_write_error(administrator, canadian_item, "CA") is None
        client.force_login(administrator)
        page = client.get(reverse("admin:agenda_irritant_delete", args=[canadian_item.pk]))
        assert page.status_code == 200

    def test_migrate_keeps_the_renamed_administrators_group(self, administrator):
        Group.objects.filter(name="Administrators").update(name="SPP secretariat")

        roles.ensure_groups()

        assert not Group.objects.filter(name="Administrators").exists()
        assert "delete_irritant" in Group.objects.get(name="SPP secretariat").permissions.values_list(
            "codename", flat=True
        )

    def test_a_group_named_administrators_without_the_role_grants_nothing(self, client, canadian_item):
        Group.objects.filter(name="Administrators").update(name="SPP secretariat")
        impostor = member_of()
        impostor.groups.add(Group.objects.create(name="Administrators"))

        assert not roles.is_administrator(type(impostor).objects.get(pk=impostor.pk))

    def test_the_admin_gives_a_group_the_administrators_role(self, client, analyst_member, canadian_item):
        analysts = Group.objects.get(name="Analysts")
        response = edit_group_in_admin(client, analysts, {"editor_group-0-role": "administrators"})
        assert response.status_code == 302, response.content.decode()[:2000]

        analyst_member = type(analyst_member).objects.get(pk=analyst_member.pk)
        assert roles.is_administrator(analyst_member)
        # ... with the administrators' permissions: the role gives them, not which group was linked first
        client.force_login(analyst_member)
        page = client.get(reverse("admin:agenda_irritant_delete", args=[canadian_item.pk]))
        assert page.status_code == 200

    def test_migrate_keeps_a_role_given_in_the_admin(self, client, analyst_member):
        analysts = Group.objects.get(name="Analysts")
        response = edit_group_in_admin(client, analysts, {"editor_group-0-role": "administrators"})
        assert response.status_code == 302, response.content.decode()[:2000]

        roles.ensure_groups()

        assert roles.is_administrator(type(analyst_member).objects.get(pk=analyst_member.pk))
        assert "delete_irritant" in analysts.permissions.values_list("codename", flat=True)

    def test_a_country_editors_link_needs_its_country(self, client, mx_editor):
        group = Group.objects.get(name="Country editors (MX)")
        response = edit_group_in_admin(client, group, {"editor_group-0-country": ""})
        assert response.status_code == 200
        assert "Country editors edit for one country; pick it." in response.content.decode()
        assert roles.editor_countries(type(mx_editor).objects.get(pk=mx_editor.pk)) == {"MX"}
