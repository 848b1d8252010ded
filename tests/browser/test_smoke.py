"""The browser set-up works: a staff member logs in and sees the irritant list with the seed data."""

import pytest
from django.core.management import call_command

from tests.factories import UserFactory

from .conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_staff_member_logs_in_and_opens_an_item_from_the_list(page):
    call_command("load_seed", verbosity=0)
    UserFactory(username="ada", is_staff=True, is_superuser=True)

    log_in(page, "ada", next_url="/irritants/")
    page.wait_for_url("**/irritants/")
    first = page.locator("table tbody tr a").first
    ref = first.inner_text()
    first.click()

    assert ref in page.locator("h1").inner_text()
