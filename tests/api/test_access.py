"""Who may use the API: token holders and logged-in browsers with the read permission, everyone when
SPP_PUBLIC_READ is on; reading only; anonymous use throttled. Tokens are made and revoked by staff in
the admin, through the admin's own forms."""

import re

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token

from tests.factories import IrritantFactory, UserFactory

pytestmark = pytest.mark.django_db

API = reverse("api:irritant-list")
ENDPOINT_URLS = [reverse("api:irritant-list"), reverse("api:summit-list"), reverse("api:source-list")]


def form_fields(html):
    """What a browser would submit from the page's (single) form: inputs and selected options."""
    fields = dict(re.findall(r'<input[^>]*?name="([^"]+)"[^>]*?value="([^"]*)"', html))
    for name, body in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
        selected = re.search(r'<option value="([^"]*)"[^>]*selected', body)
        fields[name] = selected[1] if selected else ""
    return fields


@pytest.mark.parametrize("url", ENDPOINT_URLS)
def test_anonymous_visitors_need_a_token_unless_the_record_is_public(client, settings, url):
    IrritantFactory()
    response = client.get(url)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"

    settings.SPP_PUBLIC_READ = True
    assert client.get(url).status_code == 200


def test_a_logged_in_user_without_the_read_permission_is_refused(client, other_user):
    client.force_login(other_user)
    assert client.get(API).status_code == 403


def test_a_browser_session_with_the_permission_reads(analyst_client):
    IrritantFactory(ref="A")
    assert [row["ref"] for row in analyst_client.get(API).json()["results"]] == ["A"]


def test_a_token_reads_and_a_wrong_one_is_refused(api_client, client):
    IrritantFactory(ref="A")
    assert api_client.get(API).json()["results"][0]["ref"] == "A"
    assert client.get(API, HTTP_AUTHORIZATION="Token not-a-key").status_code == 401


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete", "options"])
@pytest.mark.parametrize("public", [True, False])
def test_nothing_can_be_written_through_the_api(api_client, client, settings, method, public):
    settings.SPP_PUBLIC_READ = public
    item = IrritantFactory(ref="A", title="Kept")
    for who in (api_client, client):
        for url in (API, reverse("api:irritant-detail", args=["A"])):
            response = getattr(who, method)(url, {"title": "Changed"}, content_type="application/json")
            assert response.status_code == 405, (method, url, response.status_code)
    item.refresh_from_db()
    assert item.title == "Kept"


def test_public_mode_keeps_the_admin_and_token_admin_behind_login(client, settings):
    settings.SPP_PUBLIC_READ = True
    for url in (reverse("admin:index"), reverse("admin:authtoken_tokenproxy_changelist")):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))


def test_public_mode_opens_the_csv_exports_read_only(client, settings):
    settings.SPP_PUBLIC_READ = True
    IrritantFactory(ref="A")
    assert client.get(reverse("agenda:irritant_export")).status_code == 200
    assert client.post(reverse("agenda:irritant_export")).status_code == 405


def test_staff_create_a_token_in_the_admin_and_revoke_it(staff_client, client):
    owner = UserFactory(username="script-owner", perms=["agenda.view_irritant"])
    IrritantFactory(ref="A")
    add_url = reverse("admin:authtoken_tokenproxy_add")

    page = staff_client.get(add_url)
    assert page.status_code == 200
    fields = form_fields(page.content.decode())
    fields["user"] = str(owner.pk)  # the autocomplete widget: staff pick the user
    response = staff_client.post(add_url, fields)
    assert response.status_code == 302, response.content.decode()[:2000]
    key = Token.objects.get(user=owner).key
    assert key in staff_client.get(reverse("admin:authtoken_tokenproxy_changelist")).content.decode()
    assert client.get(API, HTTP_AUTHORIZATION=f"Token {key}").status_code == 200

    delete_url = reverse("admin:authtoken_tokenproxy_delete", args=[owner.pk])
    confirm = staff_client.get(delete_url)
    assert staff_client.post(delete_url, form_fields(confirm.content.decode())).status_code == 302
    assert not Token.objects.filter(key=key).exists()
    assert client.get(API, HTTP_AUTHORIZATION=f"Token {key}").status_code == 401


def test_anonymous_use_is_throttled_at_the_configured_rate(client, settings):
    settings.SPP_PUBLIC_READ = True
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "3/minute", "user": None},
    }
    answers = [client.get(API).status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]
    assert int(client.get(API)["Retry-After"]) > 0


def test_token_holders_have_their_own_rate(api_client, client, settings):
    settings.SPP_PUBLIC_READ = True
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "1/minute", "user": "3/minute"},
    }
    assert client.get(API).status_code == 200
    assert client.get(API).status_code == 429  # anonymous: spent
    assert [api_client.get(API).status_code for _ in range(4)] == [200, 200, 200, 429]
