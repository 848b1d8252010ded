"""The schema and the human-readable docs: served without login, the docs rendered on the server from
the schema (no third-party assets, which the CSP and the network forbid)."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_schema_is_openapi_3_and_lists_every_endpoint(client):
    schema = client.get(reverse("api:schema"), {"format": "json"}).json()
    assert schema["openapi"].startswith("3.")
    paths = set(schema["paths"])
    for endpoint in ("irritants", "status-reports", "deadlines", "working-groups", "agendas", "countries",
                     "summits", "reports", "sources", "signature-initiatives", "nacc-recommendations",
                     "lineage-links", "changes"):  # fmt: skip
        assert f"/api/{endpoint}/" in paths
    parameters = {p["name"] for p in schema["paths"]["/api/irritants/"]["get"]["parameters"]}
    from agenda.filters import IrritantFilterSet

    assert set(IrritantFilterSet.base_filters) | {"cursor", "page_size"} == parameters


def test_anonymous_access_is_in_the_schema_only_when_the_record_is_public(client, settings):
    def security():
        return client.get(reverse("api:schema"), {"format": "json"}).json()["paths"]["/api/irritants/"][
            "get"
        ]["security"]

    assert {} not in security()
    settings.SPP_PUBLIC_READ = True
    assert {} in security()


def test_the_docs_page_shows_every_operation_and_shape_from_local_assets_only(client):
    html = client.get(reverse("api:docs")).content.decode()
    assert "GET /api/irritants/{ref}/" in html
    assert "GET /api/changes/" in html and "<code>from</code>" in html and 'id="shape-Changes"' in html
    assert "<code>as_of</code>" in html and "<code>working_group</code>" in html
    assert 'id="shape-Irritant"' in html and "<code>slippage_days</code>" in html
    assert "link {id: string, url}" in html
    external = re.findall(r'(?:src|href)="(https?://[^"]+)"', html)
    assert external == []


def test_a_logged_in_browser_gets_the_browsable_api_from_local_assets(analyst_client):
    from tests.factories import IrritantFactory

    IrritantFactory(ref="P-MG-01")
    response = analyst_client.get(reverse("api:irritant-list"), HTTP_ACCEPT="text/html")
    html = response.content.decode()
    assert response.status_code == 200 and "P-MG-01" in html
    assert re.findall(r'(?:src|href)="(https?://[^"]+\.(?:js|css))"', html) == []
    assert analyst_client.get(reverse("api:api-root")).status_code == 200
    changes = reverse("api:changes-list")
    for params, status, shown in (
        ({"from": "2005-06-27", "to": "2006-06-15"}, 200, "&quot;by_working_group&quot;"),
        ({"from": "June"}, 400, "YYYY-MM-DD"),
    ):
        response = analyst_client.get(changes, params, HTTP_ACCEPT="text/html")
        assert response.status_code == status
        assert shown in response.content.decode()
