"""The translation catalogue check (manage.py check_messages, `make messages-check` in CI)."""

import gettext
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from agenda.management.commands.check_messages import (
    catalogue_problems,
    mo_problems,
    msgid_drift,
    parse_po,
)

LOCALE = Path(settings.LOCALE_PATHS[0])
HEADER = (
    'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
    '"Plural-Forms: nplurals=2; plural=(n > 1);\\n"\n\n'
)


def escape(text):
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")


def entry(msgid, msgstr, flags=""):
    flag_line = f"#, {flags}\n" if flags else ""
    return f'{flag_line}msgid "{escape(msgid)}"\nmsgstr "{escape(msgstr)}"\n\n'


def compile_mo(po_path, mo_path):
    subprocess.run(["msgfmt", "--check-format", "-o", str(mo_path), str(po_path)], check=True)


@pytest.mark.parametrize("language", ["fr", "es"])
def test_the_committed_catalogues_are_complete_and_compiled(language):
    po_path = LOCALE / language / "LC_MESSAGES" / "django.po"
    assert catalogue_problems(po_path) == []
    assert mo_problems(po_path, po_path.with_suffix(".mo")) == []


def test_a_broken_catalogue_reports_each_problem(tmp_path):
    po_path = tmp_path / "django.po"
    po_path.write_text(
        HEADER
        + entry("Good %(name)s", "Bon %(name)s", "python-format")
        + entry("Empty", "")
        + entry("Fuzzy", "Flou", "fuzzy")
        + entry("Renamed %(name)s", "Renommé %(nom)s", "python-format")
        + entry("Dropped %s", "Perdu", "python-format")
        + entry("Percent %(n)s%%", "Pourcentage %(n)s", "python-format")
        + entry("Brace {count}", "Accolade")
        + entry("A <strong>bold</strong> word", "Un mot gras")
        + entry("Ends with a newline\n", "Finit sans saut de ligne")
        + entry(" Leading space", "Sans espace")
        + 'msgid "%(n)s item"\nmsgid_plural "%(n)s items"\nmsgstr[0] "%(n)s élément"\n\n'
        + 'msgid "%(n)s row"\nmsgid_plural "%(n)s rows"\nmsgstr[0] "%(n)s ligne"\nmsgstr[1] ""\n\n'
        + '#~ msgid "Stale"\n#~ msgstr "Périmé"\n',
        encoding="utf-8",
    )
    problems = catalogue_problems(po_path)
    flagged = {problem.split(": ")[1] for problem in problems}
    assert flagged == {
        "'Empty'",
        "'Fuzzy'",
        "'Renamed %(name)s'",
        "'Dropped %s'",
        "'Percent %(n)s%%'",
        "'Brace {count}'",
        "'A <strong>bold</strong> word'",
        "'Ends with a newline\\n'",
        "' Leading space'",
        "'%(n)s item'",
        "'%(n)s row'",
        "'Stale'",
    }
    text = "\n".join(problems)
    assert "lacks '%(name)s'; adds '%(nom)s'" in text
    assert "has plural forms [0], the language needs [0, 1]" in text
    assert "msgstr[1] is empty" in text
    assert "stale (obsolete)" in text
    assert "is marked fuzzy" in text


def test_a_compiled_catalogue_out_of_step_with_its_po_is_reported(tmp_path):
    po_path, mo_path = tmp_path / "django.po", tmp_path / "django.mo"
    assert mo_problems(po_path, mo_path) == [f"{mo_path}: missing; run make messages and commit it"]
    po_path.write_text(HEADER + entry("Yes", "Oui"), encoding="utf-8")
    compile_mo(po_path, mo_path)
    assert mo_problems(po_path, mo_path) == []
    po_path.write_text(HEADER + entry("Yes", "Oui !"), encoding="utf-8")
    assert mo_problems(po_path, mo_path) == [
        f"{mo_path}: out of step with django.po; run make messages and commit it"
    ]


def test_makemessages_drift_is_reported_without_touching_the_catalogue(tmp_path):
    (tmp_path / "app" / "templates").mkdir(parents=True)
    (tmp_path / "app" / "views.py").write_text(
        "from django.utils.translation import gettext as _t\n"
        "from django.utils.translation import gettext_lazy as _\n\n"
        'KEPT = _("Kept")\nADDED = _("Added in the code")\nIMMEDIATE = _t("Marked with _t")\n',
        encoding="utf-8",
    )
    (tmp_path / "app" / "templates" / "page.html").write_text(
        '{% load i18n %}{% translate "Kept" %}{% translate "From a template" %}', encoding="utf-8"
    )
    (tmp_path / "skipped").mkdir()
    (tmp_path / "skipped" / "module.py").write_text('_("Not extracted")\n', encoding="utf-8")
    po_path = tmp_path / "locale" / "fr" / "LC_MESSAGES" / "django.po"
    po_path.parent.mkdir(parents=True)
    po_path.write_text(
        HEADER + entry("Kept", "Conservé") + entry("Gone from the code", "Disparu"), encoding="utf-8"
    )
    before = po_path.read_bytes()

    problems = msgid_drift(tmp_path, tmp_path / "locale", ["fr"], ["skipped"])

    assert sorted(problems) == [
        "locale/fr/LC_MESSAGES/django.po: makemessages would add 'Added in the code'",
        "locale/fr/LC_MESSAGES/django.po: makemessages would add 'From a template'",
        "locale/fr/LC_MESSAGES/django.po: makemessages would add 'Marked with _t'",
        "locale/fr/LC_MESSAGES/django.po: makemessages would remove 'Gone from the code' (no longer in the code)",
    ]
    assert po_path.read_bytes() == before
    assert sorted(p.name for p in po_path.parent.iterdir()) == ["django.po"]


def test_the_command_fails_on_a_broken_catalogue(tmp_path, settings):
    po_path = tmp_path / "fr" / "LC_MESSAGES" / "django.po"
    po_path.parent.mkdir(parents=True)
    po_path.write_text(HEADER + entry("Yes", ""), encoding="utf-8")
    settings.LOCALE_PATHS = [tmp_path]
    settings.LANGUAGES = [("en", "English"), ("fr", "French"), ("es", "Spanish")]
    with pytest.raises(CommandError, match="problem"):
        call_command("check_messages", "--no-makemessages")


# Text a translator may write: quotes, backslashes, newlines, tabs, accents, non-breaking spaces (msgfmt
# itself refuses a msgstr that does not begin and end with a newline when its msgid does, hence the
# brackets).
po_text = st.text(alphabet=st.sampled_from(list('ab éÉ«»"\\\n\t\u00a0%<>{}') + ["ñ", "ç"]), max_size=40).map(
    lambda text: f"[{text}]"
)


@hypothesis_settings(max_examples=40, deadline=None)
@given(msgid=po_text, msgstr=po_text)
def test_the_po_reader_agrees_with_msgfmt(tmp_path_factory, msgid, msgstr):
    folder = tmp_path_factory.mktemp("po")
    po_path, mo_path = folder / "django.po", folder / "django.mo"
    po_path.write_text(HEADER + entry(msgid, msgstr), encoding="utf-8")
    compile_mo(po_path, mo_path)
    with mo_path.open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)._catalog
    (parsed,) = [e for e in parse_po(po_path.read_text(encoding="utf-8")) if not e.is_header]
    assert (parsed.msgid, parsed.msgstr) == (msgid, compiled[msgid])


@hypothesis_settings(max_examples=50, deadline=None)
@given(
    names=st.lists(st.from_regex(r"[a-z_]{1,8}", fullmatch=True), min_size=1, max_size=4, unique=True),
    data=st.data(),
)
def test_a_translation_must_keep_every_placeholder(tmp_path_factory, names, data):
    placeholders = [f"%({name})s" for name in names]
    msgid = "Text " + " and ".join(placeholders)
    kept = data.draw(st.permutations(placeholders))
    dropped = data.draw(st.sampled_from(placeholders))
    po_path = tmp_path_factory.mktemp("po") / "django.po"
    po_path.write_text(
        HEADER
        + entry(msgid, "Texte " + " et ".join(kept), "python-format")
        + entry(msgid + ".", "Texte " + " et ".join(p for p in kept if p != dropped) + ".", "python-format"),
        encoding="utf-8",
    )
    problems = catalogue_problems(po_path)
    assert len(problems) == 1
    assert f"lacks {dropped!r}" in problems[0]


# The names makemessages extracts strings from: Django's keywords, plus ``_t`` (the project's
# makemessages command). A string marked through any other alias never reaches the catalogues.
EXTRACTED_ALIASES = {"_", "_t"}


def test_every_gettext_alias_is_one_makemessages_extracts():
    import re

    pattern = re.compile(r"^from django\.utils\.translation import .*\b(\w*gettext\w*) as (\w+)", re.M)
    strays = [
        f"{path.relative_to(settings.BASE_DIR)}: {function} as {alias}"
        for app in ("agenda", "summits", "spp_tracker")
        for path in (Path(settings.BASE_DIR) / app).rglob("*.py")
        for function, alias in pattern.findall(path.read_text(encoding="utf-8"))
        if alias not in EXTRACTED_ALIASES
    ]
    assert not strays, f"strings marked through these names are not extracted: {strays}"
