"""Issue 8, "each role writes only what it may": one regression test per defect, each walking the
page a person uses (GET it, fill the rendered form, POST what it holds)."""

import datetime
from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.urls import reverse

from agenda.choices import IrritantStatus
from agenda.models import Deadline, Irritant
from summits.models import Source

from ..factories import (
    CountryFactory,
    DeadlineFactory,
    IrritantFactory,
    SourceFactory,
    StatusReportFactory,
    UserFactory,
)
from ..pages import form_data, submit

pytestmark = pytest.mark.django_db


def member_of(*group_names, **fields):
    user = UserFactory(is_staff=True, **fields)
    user.groups.set([Group.objects.get(name=name) for name in group_names])
    return user


@pytest.fixture
def ca_editor():
    return member_of("Country editors (CA)", username="claire")


@pytest.fixture
def mx_editor():
    return member_of("Country editors (MX)", username="mateo")


@pytest.fixture
def mexican_item():
    return IrritantFactory(ref="S-T-MX", title="Mexican item", countries=["MX", "US"])


@pytest.fixture
def canadian_item():
    return IrritantFactory(ref="S-T-CA", title="Canadian item", countries=["CA", "US"])


def change_url(obj):
    return reverse(f"admin:agenda_{obj._meta.model_name}_change", args=[obj.pk])


def revert_url(obj):
    history = obj.history.order_by("history_date").first()
    return reverse(f"admin:agenda_{obj._meta.model_name}_simple_history", args=[obj.pk, history.history_id])


def country_pks(*codes):
    return [str(CountryFactory(code=code).pk) for code in codes]


# --- 1. History "Revert" and the import ask the same rule, with countries before and after -------
class TestRevertBypass:
    def test_editor_cannot_take_over_another_countrys_item_through_revert(
        self, client, ca_editor, mexican_item
    ):
        client.force_login(ca_editor)

        response = submit(client, revert_url(mexican_item), changes={"countries": country_pks("CA")})

        assert response.status_code == 403
        assert "S-T-MX concerns MX, US" in response.content.decode()
        assert set(mexican_item.countries.values_list("code", flat=True)) == {"MX", "US"}

    def test_editor_cannot_rewrite_another_countrys_status_through_revert(self, client, ca_editor):
        shared = IrritantFactory(countries=["CA", "MX"])
        mexico = StatusReportFactory(irritant=shared, country=CountryFactory(code="MX"), note="stated")
        client.force_login(ca_editor)

        response = submit(
            client, revert_url(mexico), changes={"country": country_pks("CA"), "status": "completed"}
        )

        assert response.status_code == 403
        mexico.refresh_from_db()
        assert (mexico.country.code, mexico.status) == ("MX", IrritantStatus.INITIATED)

    def test_editor_cannot_move_another_countrys_deadline_onto_their_item(
        self, client, ca_editor, mexican_item, canadian_item
    ):
        deadline = DeadlineFactory(irritant=mexican_item)
        client.force_login(ca_editor)
        page = client.get(revert_url(deadline)).content.decode()
        data = form_data(page, form_id="historicaldeadline_form", changes={"irritant": str(canadian_item.pk)})
        data.pop("loaded_version", None)  # the attack as reported: the version field left out

        response = client.post(revert_url(deadline), data)

        assert response.status_code == 403
        assert Deadline.objects.get(pk=deadline.pk).irritant == mexican_item

    def test_editor_cannot_hand_their_item_to_another_country(self, client, ca_editor, canadian_item):
        client.force_login(ca_editor)

        response = submit(client, change_url(canadian_item), changes={"countries": country_pks("MX")})

        assert response.status_code == 200
        assert "would concern MX only" in str(response.context["adminform"].form.errors["countries"])
        assert set(canadian_item.countries.values_list("code", flat=True)) == {"CA", "US"}

    def test_import_cannot_take_over_another_countrys_item(self, tmp_path, ca_editor, mexican_item):
        path = tmp_path / "items.csv"
        path.write_text(
            f"ref,title,countries\n{mexican_item.ref},{mexican_item.title},CA\n", encoding="utf-8"
        )
        errors = StringIO()

        with pytest.raises(CommandError):
            call_command("import_csv", str(path), kind="irritants", user=ca_editor.username, stderr=errors,
                         stdout=StringIO())  # fmt: skip

        assert (
            "line 2, column 'countries': S-T-MX concerns MX, US; only the editors of MX, US can change it"
            in (errors.getvalue())
        )
        assert set(mexican_item.countries.values_list("code", flat=True)) == {"MX", "US"}


# --- 2. Sources other countries cite (source addresses: test_source_addresses.py) -------------
def test_editor_cannot_change_a_source_other_countries_items_cite(
    client, ca_editor, canadian_item, mexican_item
):
    shared = SourceFactory(url="https://www.canada.ca/shared.html")
    own = SourceFactory(url="https://www.canada.ca/own.html")
    canadian_item.sources.add(shared, own)
    mexican_item.sources.add(shared)
    client.force_login(ca_editor)

    refused = client.get(reverse("admin:summits_source_change", args=[shared.pk]))
    allowed = submit(
        client,
        reverse("admin:summits_source_change", args=[own.pk]),
        form_id="source_form",
        changes={"title": "Canada's page"},
    )

    assert not refused.context["has_change_permission"]
    assert allowed.status_code == 302
    assert Source.objects.get(pk=own.pk).title == "Canada's page"


# --- 3. Cache-Control: private on analyst pages and CSVs -----------------------------------------
@pytest.mark.parametrize(
    "name", ["agenda:irritant_list", "agenda:irritant_export", "agenda:dashboard", "summits:summit_list"]
)
def test_analyst_pages_and_exports_are_private(analyst_client, name):
    response = analyst_client.get(reverse(name))

    assert response.status_code == 200
    assert "private" in response["Cache-Control"]


# --- 4. The admin's own no-permission page; no fillable rows on view-only pages ---------------
def test_staff_in_no_group_get_the_admins_no_permission_page_for_the_import(client):
    client.force_login(UserFactory(is_staff=True))

    response = client.get(reverse("admin:agenda_irritant_import"))

    assert response.status_code == 403
    assert 'id="site-name"' in response.content.decode()  # the admin's header: its own page
    assert "You do not have permission" in response.content.decode()


def test_analyst_opening_the_import_by_url_gets_the_no_permission_page(analyst_client):
    response = analyst_client.get(reverse("admin:agenda_irritant_import"))

    assert response.status_code == 403
    assert "You do not have permission" in response.content.decode()


def test_view_only_change_page_has_no_fillable_new_rows(client, ca_editor, mexican_item):
    client.force_login(ca_editor)

    page = client.get(change_url(mexican_item)).content.decode()

    assert 'name="status_reports-2-0-status"' not in page
    assert 'name="deadlines-2-0-set_on"' not in page


# --- 5. Lost update: every edit form carries the version -----------------------------------
@pytest.mark.parametrize("factory", [IrritantFactory, DeadlineFactory, StatusReportFactory])
def test_second_of_two_editors_is_refused_naming_the_first(client, factory):
    obj = factory(note="first note") if factory is not IrritantFactory else factory(summary="first note")
    field = "summary" if factory is IrritantFactory else "note"
    first, second = member_of("Administrators", username="ada"), member_of("Administrators", username="bob")
    client.force_login(first)
    first_page = client.get(change_url(obj)).content.decode()
    client.force_login(second)
    second_page = client.get(change_url(obj)).content.decode()
    form_id = f"{obj._meta.model_name}_form"

    client.force_login(first)
    saved = client.post(change_url(obj), form_data(first_page, form_id=form_id, changes={field: "Ada's"}))
    client.force_login(second)
    refused = client.post(change_url(obj), form_data(second_page, form_id=form_id, changes={field: "Bob's"}))

    assert saved.status_code == 302
    assert refused.status_code == 200
    assert "ada saved this record" in refused.content.decode()
    obj.refresh_from_db()
    assert getattr(obj, field) == "Ada's"


# --- 6. Unticking a country that has its own status reports -----------------------------------
def test_unticking_a_country_with_its_own_status_reports_is_refused(staff_client):
    item = IrritantFactory(countries=["CA", "MX"])
    StatusReportFactory(irritant=item, country=CountryFactory(code="MX"), note="Mexico only")

    refused = submit(staff_client, change_url(item), changes={"countries": country_pks("CA")})
    again = submit(staff_client, change_url(item), changes={"title": "Still editable"})

    assert refused.status_code == 200
    error = str(refused.context["adminform"].form.errors["countries"])
    assert "MX cannot be removed" in error and f"{item.ref}: Initiated (MX)" in error
    assert again.status_code == 302
    assert Irritant.objects.get(pk=item.pk).title == "Still editable"


# --- 7. Revert of a status report or deadline -------------------------------------------------
@pytest.mark.parametrize("factory", [DeadlineFactory, StatusReportFactory])
def test_revert_of_a_child_row_restores_the_old_values(staff_client, factory):
    obj = factory(note="original")
    obj.note = "changed"
    obj.save()

    response = submit(staff_client, revert_url(obj), form_id=f"historical{obj._meta.model_name}_form")

    assert response.status_code == 302
    obj.refresh_from_db()
    assert obj.note == "original"


# --- 9. Analysts log in on the site's own page -----------------------------------------------
def test_analyst_logs_in_on_the_site_login_page(client):
    analyst = member_of("Analysts", username="ana")
    analyst.is_staff = False
    analyst.save()

    response = submit(
        client,
        reverse("login") + "?next=/irritants/",
        changes={"username": "ana", "password": "pw"},
        follow=True,
    )

    assert response.redirect_chain[-1][0] == "/irritants/"
    assert response.status_code == 200
    assert client.get(reverse("admin:index")).status_code == 302  # the admin stays for staff


def test_anonymous_visitors_are_sent_to_the_site_login(client):
    response = client.get(reverse("agenda:irritant_list"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_analyst_changes_their_password(client):
    analyst = UserFactory(username="ana", perms=["agenda.view_irritant"])
    client.force_login(analyst)

    response = submit(
        client,
        reverse("password_change"),
        changes={
            "old_password": "pw",
            "new_password1": "a-long-Passphrase-2006",
            "new_password2": "a-long-Passphrase-2006",
        },
    )

    assert response.status_code == 302
    analyst.refresh_from_db()
    assert analyst.check_password("a-long-Passphrase-2006")


# --- 8. One timeline per item in the admin's History --------------------------------------------
def test_history_tells_who_recorded_which_status_and_target_and_changed_which_field(client):
    ada = member_of("Administrators", username="ada")
    item = IrritantFactory(title="Old title", countries=["CA"])
    DeadlineFactory(irritant=item, set_on="2005-06-27", target_text="by June 2006", due_on="2006-06-30")
    client.force_login(ada)

    saved = submit(
        client,
        change_url(item),
        changes={
            "title": "New title",
            "status_reports-2-0-as_of": "2007-08-21",
            "status_reports-2-0-status": "delayed",
            "status_reports-2-0-note": "Montebello joint statement",
            "deadlines-2-0-set_on": "2007-08-21",
            "deadlines-2-0-target_text": "by December 2008",
            "deadlines-2-0-due_on": "2008-12-31",
        },
    )
    page = client.get(reverse("admin:agenda_irritant_history", args=[item.pk])).content.decode()

    assert saved.status_code == 302
    assert "Recorded a status: Delayed, as of 2007-08-21" in page
    assert "Recorded a target: by December 2008" in page
    assert "<strong>Title:</strong> Old title → New title" in page
    assert "<td>ada</td>" in page
    assert "Category" not in page  # the rule derived it; nobody changed it
    assert "CURRENT_STATUS" not in page and "current_status" not in page


def test_history_labels_seed_rows_as_loaded_from_the_seed(staff_client, seeded):
    item = Irritant.objects.get(ref="S-TS-04")

    page = staff_client.get(reverse("admin:agenda_irritant_history", args=[item.pk])).content.decode()

    assert "Loaded from the seed data" in page
    assert "None" not in page.split('id="change-history"')[1]


def test_history_page_query_count_does_not_grow_with_rows(staff_client, django_assert_max_num_queries):
    item = IrritantFactory(countries=["CA"])
    StatusReportFactory(irritant=item)
    url = reverse("admin:agenda_irritant_history", args=[item.pk])
    with django_assert_max_num_queries(40) as few:
        assert staff_client.get(url).status_code == 200
    for day in range(1, 11):  # distinct statements and targets (natural keys are unique)
        StatusReportFactory(irritant=item, as_of=datetime.date(2006, 7, day))
        DeadlineFactory(irritant=item, set_on=datetime.date(2005, 7, day))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert staff_client.get(url).status_code == 200
