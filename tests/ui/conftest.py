"""Fixtures for the interface tests: the seed data, and stand-in French and Spanish catalogues."""

import pytest
from django.utils.translation import trans_real


@pytest.fixture
def pseudo_catalogues(monkeypatch):
    """Translate the given English messages in fr and es as ``«fr:message»`` / ``«es:message»``.

    The real catalogues are filled by the translators; these tests check the mechanism (which
    language a text is written in), so they must not depend on how far the translation has got."""

    def install(messages):
        for code in ("fr", "es"):
            catalogue = trans_real.translation(code)
            original = catalogue.gettext

            def gettext(message, code=code, original=original):
                return f"«{code}:{message}»" if message in messages else original(message)

            monkeypatch.setattr(catalogue, "gettext", gettext)

    return install
