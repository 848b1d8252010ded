"""Every reader, every screen: axe-core finds no serious or critical accessibility violation on the
analyst pages and the admin pages staff use, in English, French and Spanish; no page is wider than a
phone (375 px) or a desktop (1,280 px) screen; the Content-Security-Policy blocks nothing the pages
need; the filters, the header and the language switcher work as a person uses them."""

import json
from collections import Counter
from urllib.parse import parse_qsl, urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth import get_user_model
from django.core.management import call_command

from tests.factories import UserFactory
from tests.ui.pages import admin_pages, analyst_pages

from .conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)

PHONE, DESKTOP = 375, 1280
BLOCKING = {"serious", "critical"}
# Records every request the Content-Security-Policy blocks (injected by Playwright, so not itself
# subject to the policy).
CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`);
});
"""
AXE = Axe()


def with_language(url, language):
    return f"{url}{'&' if '?' in url else '?'}lang={language}"


def staff_context(new_context, width):
    """A logged-in staff member's page at ``width`` px, recording what the CSP blocks."""
    if not get_user_model().objects.filter(username="ada").exists():
        UserFactory(username="ada", is_staff=True, is_superuser=True)
    context = new_context(viewport={"width": width, "height": 900})
    context.add_init_script(CSP_LISTENER)
    page = context.new_page()
    log_in(page, "ada")
    page.wait_for_url("**/admin/")
    return page


def check_page(page, name, url, language, width, *, problems, severities):
    response = page.goto(with_language(url, language))
    where = f"{name} ({language}, {width} px)"
    if response.status != 200:
        problems.append(f"{where}: status {response.status}")
        return
    if page.get_attribute("html", "lang") != language:
        problems.append(f"{where}: page language {page.get_attribute('html', 'lang')!r}")
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    if scroll_width > width:
        problems.append(f"{where}: the page is {scroll_width} px wide")
    violations = page.evaluate("window.__cspViolations")
    if violations:
        problems.append(f"{where}: blocked by the CSP: {violations}")
    if width == PHONE:  # open the folded menu so that its links are checked too
        page.click("header.site .menu > summary")
    for violation in AXE.run(page).response["violations"]:
        severities[violation["impact"]] += 1
        if violation["impact"] in BLOCKING:
            targets = [node["target"] for node in violation["nodes"]][:5]
            problems.append(f"{where}: axe {violation['impact']} {violation['id']}: {json.dumps(targets)}")


@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_every_page_is_accessible_and_fits_phone_and_desktop(new_context, language):
    call_command("load_seed", verbosity=0)
    problems, severities = [], Counter()
    for width in (DESKTOP, PHONE):
        page = staff_context(new_context, width)
        pages = analyst_pages() + (admin_pages() if width == DESKTOP else [])
        for name, url in pages:
            check_page(page, name, url, language, width, problems=problems, severities=severities)
    print(f"axe violations by impact ({language}): {dict(severities) or 'none'}")
    assert not problems, "\n".join(problems)


def test_phone_folds_the_header_and_the_filters_behind_buttons(new_context):
    call_command("load_seed", verbosity=0)
    page = staff_context(new_context, PHONE)
    page.goto("/irritants/")

    logout = page.get_by_role("button", name="Log out")
    assert not logout.is_visible() and not page.locator("#id_q").is_visible()
    page.get_by_text("Menu", exact=True).click()
    assert logout.is_visible()
    colours = logout.evaluate(
        "b => [getComputedStyle(b).color, getComputedStyle(b.closest('header')).backgroundColor]"
    )
    assert colours[0] != colours[1], "no text on a background of its own colour"
    page.get_by_text("Filters", exact=True).click()
    assert page.locator("#id_q").is_visible()

    desktop = staff_context(new_context, DESKTOP)
    desktop.goto("/irritants/")
    assert desktop.get_by_role("button", name="Log out").is_visible()
    assert desktop.locator("#id_q").is_visible()
    assert not desktop.get_by_text("Filters", exact=True).is_visible()


def test_apply_leaves_empty_filters_out_of_the_url(new_context):
    call_command("load_seed", verbosity=0)
    page = staff_context(new_context, DESKTOP)
    page.goto("/irritants/")
    page.fill("#id_q", "energy")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url("**/irritants/?*")
    assert parse_qsl(urlsplit(page.url).query) == [("q", "energy")]
    assert page.locator("table tbody tr a").count() > 0

    # Without JavaScript the form still works (every field is sent, the empty ones too).
    UserFactory(username="bo", is_staff=True, is_superuser=True)
    plain = new_context(java_script_enabled=False).new_page()
    log_in(plain, "bo", next_url="/irritants/")
    plain.fill("#id_q", "energy")
    plain.get_by_role("button", name="Apply").click()
    plain.wait_for_load_state()
    query = dict(parse_qsl(urlsplit(plain.url).query, keep_blank_values=True))
    assert query["q"] == "energy" and len(query) > 1
    assert plain.locator("table tbody tr a").count() == page.locator("table tbody tr a").count()


def test_language_switcher_keeps_the_page_and_its_filters(new_context):
    call_command("load_seed", verbosity=0)
    page = staff_context(new_context, DESKTOP)
    page.goto("/irritants/?status=ongoing")

    page.get_by_role("button", name="Español").click()
    page.wait_for_load_state()

    assert page.get_attribute("html", "lang") == "es"
    assert urlsplit(page.url).path == "/irritants/" and urlsplit(page.url).query == "status=ongoing"
    page.goto("/dashboard/")
    assert page.get_attribute("html", "lang") == "es", "kept for the next pages"
