"""The status choices carry what every screen needs to show a status: its colour and its badge class."""

import re
from pathlib import Path

from django.conf import settings

from agenda import progress
from agenda.choices import NO_STATUS, NO_STATUS_COLOUR, IrritantStatus, css_class, status_colour

STYLESHEET = Path(settings.BASE_DIR) / "spp_tracker" / "static" / "spp" / "site.css"


def test_every_status_has_a_colour_and_the_dashboard_uses_it():
    for status in IrritantStatus:
        assert re.fullmatch(r"#[0-9a-f]{6}", status.colour)
        assert status_colour(status) == status.colour
    assert status_colour(NO_STATUS) == NO_STATUS_COLOUR
    assert set(progress.STATUS_ORDER) == {*IrritantStatus, NO_STATUS}


def test_the_stylesheet_has_a_badge_rule_for_every_status_class():
    css = STYLESHEET.read_text()
    for status in [*IrritantStatus, ""]:
        assert re.search(rf"\.{re.escape(css_class(status))}\b(?!-)", css), css_class(status)
