"""Issue 8, "each role writes only what it may", part 2: a source's address is a well-formed http(s)
web address on every path that writes one (model, admin, import), and a stored bad one is never a
link. (Moved from test_security.py, unchanged.)"""

from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from summits.models import Source

from ..factories import IrritantFactory
from ..pages import submit

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["javascript:alert(1)", "http://[::1", "data:text/html,x", "ftp://x.org/a"])
def test_source_address_must_be_a_well_formed_web_address(url):
    with pytest.raises(ValidationError) as refused:
        Source(url=url, kind="secondary").full_clean()

    assert "starting with http:// or https://" in str(refused.value.message_dict["url"])


def test_admin_refuses_a_javascript_source_address(client, staff_user):
    client.force_login(staff_user)

    response = submit(
        client,
        reverse("admin:summits_source_add"),
        form_id="source_form",
        changes={"url": "javascript:alert(1)", "kind": "secondary"},
    )

    assert response.status_code == 200
    assert "starting with http:// or https://" in str(response.context["adminform"].form.errors["url"])
    assert not Source.objects.exists()


def test_stored_bad_addresses_render_as_text_not_links(analyst_client, staff_client):
    irritant = IrritantFactory(ref="S-T-XSS")
    bad = [Source.objects.create(url=url, kind="secondary") for url in ("javascript:alert(1)", "http://[::1")]
    irritant.sources.add(*bad)

    page = analyst_client.get(reverse("agenda:irritant_detail", args=["S-T-XSS"]))
    sources_admin = staff_client.get(reverse("admin:summits_source_changelist"))

    assert page.status_code == 200
    assert 'href="javascript:' not in page.content.decode()
    assert 'href="http://[::1' not in page.content.decode()
    assert sources_admin.status_code == 200


def test_import_refuses_a_malformed_source_address(tmp_path, staff_user):
    irritant = IrritantFactory(countries=["CA"])
    path = tmp_path / "statuses.csv"
    path.write_text(f"ref,as of,status,sources\n{irritant.ref},2006-06-30,initiated,http://[::1\n")

    errors = StringIO()

    with pytest.raises(CommandError):
        call_command("import_csv", str(path), kind="status-reports", user=staff_user.username, stderr=errors,
                     stdout=StringIO())  # fmt: skip

    assert "column 'sources': http://[::1: Enter a complete web address" in errors.getvalue()
    assert not Source.objects.exists()


@settings(max_examples=300, deadline=None)
@given(
    url=st.one_of(
        st.text(max_size=60),
        st.builds(
            lambda scheme, rest: scheme + rest,
            st.sampled_from(["http://", "https://", "javascript:", "HTTP://", "http:", "//"]),
            st.text(max_size=40),
        ),
    )
)
def test_generated_addresses_are_either_valid_web_addresses_or_refused_and_never_linked(url):
    source = Source(url=url, kind="secondary")
    try:
        source.clean_fields()
    except ValidationError as refused:
        assert "starting with http:// or https://" in str(refused.message_dict.get("url", ""))
        assert source.link == ""
    else:
        assert url == "" or url.lower().startswith(("http://", "https://"))
        assert source.link == url
    assert isinstance(source.host, str)  # never raises, whatever was stored
