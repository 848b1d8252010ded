import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agenda.models import StatusReport

from ..factories import IrritantFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "admin:agenda_irritant_import"
HEADER = "ref,title,as of,status,country,stated by,confidence,note,sources\n"


def upload(text, name="statuses.csv"):
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


@pytest.fixture
def mx_editor_client(client):
    editor = UserFactory(is_staff=True)
    editor.groups.add(Group.objects.get(name="Country editors (MX)"))
    client.force_login(editor)
    return client


def test_preview_then_confirm_imports(mx_editor_client):
    item = IrritantFactory(ref="S-TS-04", countries=["MX", "US"])
    csv_text = HEADER + "S-TS-04,,2006-06-15,initiated,MX,,verbatim,Mexico's table row,\n"

    preview = mx_editor_client.post(reverse(URL), {"kind": "status-reports", "file": upload(csv_text)})

    assert preview.status_code == 200
    assert preview.context["result"].counts()["create"] == 1
    assert not StatusReport.objects.exists()

    confirmed = mx_editor_client.post(reverse(URL), {"confirm": "1", "digest": preview.context["digest"]})

    assert confirmed.status_code == 302
    assert StatusReport.objects.get(irritant=item).country.code == "MX"


def test_preview_lists_errors_and_offers_no_confirmation(mx_editor_client):
    IrritantFactory(ref="S-TS-04", countries=["MX", "US"])
    csv_text = HEADER + "S-TS-04,,2006-06-15,initiated,CA,,verbatim,Canada's row,\n"

    response = mx_editor_client.post(reverse(URL), {"kind": "status-reports", "file": upload(csv_text)})

    page = response.content.decode()
    assert "Confirm and import" not in page
    assert "per-country status of CA is for its own editors" in page
    assert not StatusReport.objects.exists()


def test_unreadable_file_gets_a_clear_message(mx_editor_client):
    response = mx_editor_client.post(
        reverse(URL), {"kind": "status-reports", "file": SimpleUploadedFile("x.csv", b"ref;as of\nA;B\n")}
    )

    assert response.status_code == 200
    assert "separated by semicolons" in str(response.context["form"].errors["file"])


def test_confirm_without_preview_is_refused(mx_editor_client):
    response = mx_editor_client.post(reverse(URL), {"confirm": "1", "digest": "nothing"}, follow=True)

    assert "upload it again" in response.content.decode()


def test_analysts_cannot_import(client):
    analyst = UserFactory(is_staff=True)
    analyst.groups.add(Group.objects.get(name="Analysts"))
    client.force_login(analyst)
    IrritantFactory(ref="S-TS-04")

    response = client.post(
        reverse(URL),
        {"kind": "status-reports", "file": upload(HEADER + "S-TS-04,,2006-06-15,initiated,,,verbatim,x,\n")},
    )

    assert response.status_code == 403
