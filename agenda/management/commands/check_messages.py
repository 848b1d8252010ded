"""Check the translation catalogues (``make messages-check``, run by CI).

Fails when, for any catalogue locale/<lang>/LC_MESSAGES/django.po:

- ``makemessages`` on the current code would add or remove a message (it is run on a temporary copy of
  the project, so the working tree is never touched; line-number comments and the header's
  POT-Creation-Date are ignored: only the set of messages is compared);
- an entry is empty, fuzzy or obsolete (a stale ``#~`` entry), or a plural entry lacks one of the
  forms the header's Plural-Forms asks for;
- a translation does not keep its message's placeholders (``%(name)s``, ``%s``, ``{name}``), HTML tags,
  or leading and trailing spaces and newlines;
- the committed django.mo is missing or out of step with its .po (the .po is compiled to a temporary
  file with msgfmt, as compilemessages does, and both catalogues are compared entry by entry, so a
  different gettext version that lays the bytes out differently does not count as a difference).

The fix for each problem is ``make messages`` (refresh and compile), then translate what it lists.
"""

import gettext
import io
import os
import re
import shutil
import subprocess
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

DOMAIN = "django"
PRINTF = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?[diouxXeEfFgGcrsa%]")
BRACE = re.compile(r"\{[^{}]*\}")
TAG = re.compile(r"</?[A-Za-z][\w-]*")
LEADING = re.compile(r"[ \t\r\n]*")
TRAILING = re.compile(r"[ \t\r\n]*\Z")
ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "a": "\a", "b": "\b", "f": "\f", "v": "\v"}


@dataclass
class Entry:
    line: int
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: str = ""
    msgstr_plural: dict = field(default_factory=dict)
    flags: set = field(default_factory=set)
    obsolete: bool = False

    @property
    def key(self):
        return (self.msgctxt, self.msgid, self.msgid_plural)

    @property
    def is_header(self):
        return self.msgid == "" and self.msgctxt is None


def _unescape(text):
    return re.sub(r"\\(.)", lambda m: ESCAPES.get(m.group(1), m.group(1)), text)


def parse_po(text):
    """The entries of a .po file's text, as msgmerge writes it: entries separated by blank lines (the
    header is the entry with an empty msgid)."""
    entries, entry, current = [], None, None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            entry, current = None, None
            continue
        if entry is None:
            entry = Entry(line=number)
            entries.append(entry)
        if line.startswith("#~"):
            entry.obsolete = True
            line = line[2:].strip()
        if line.startswith("#,"):
            entry.flags.update(flag.strip() for flag in line[2:].split(",") if flag.strip())
            continue
        if line.startswith("#"):  # comments, references, previous msgids
            continue
        if line.startswith('"'):
            if current is None:
                raise ValueError(f"line {number}: a continuation line outside a keyword")
            value = _unescape(line[1:-1])
        else:
            current, _, rest = line.partition(" ")
            value = _unescape(rest.strip()[1:-1])
            if current.startswith("msgstr["):
                entry.msgstr_plural[int(current[7:-1])] = ""
            else:
                setattr(entry, current, "")
        if current.startswith("msgstr["):
            entry.msgstr_plural[int(current[7:-1])] += value
        else:
            setattr(entry, current, getattr(entry, current) + value)
    return entries


def plural_count(entries):
    header = next((e for e in entries if e.is_header), None)
    match = re.search(r"nplurals\s*=\s*(\d+)", header.msgstr if header else "")
    return int(match.group(1)) if match else None


def markers(text, flags):
    """What a translation must keep of its message: placeholders, HTML tags, edge whitespace."""
    found = Counter(BRACE.findall(text)) + Counter(TAG.findall(text))
    if "python-format" in flags or "c-format" in flags:
        found += Counter(PRINTF.findall(text))
    found[("leading", LEADING.match(text).group())] += 1
    found[("trailing", TRAILING.search(text).group())] += 1
    return found


def _describe(missing, extra):
    def show(counter):
        return ", ".join(
            repr(item[1] if isinstance(item, tuple) else item) for item in sorted(counter, key=str)
        )

    parts = []
    if missing:
        parts.append(f"lacks {show(missing)}")
    if extra:
        parts.append(f"adds {show(extra)}")
    return "; ".join(parts)


def catalogue_problems(po_path):
    """Empty, fuzzy, obsolete and incomplete plural entries; placeholders that differ."""
    entries = parse_po(Path(po_path).read_text(encoding="utf-8"))
    problems = []
    nplurals = plural_count(entries)
    if nplurals is None:
        problems.append(f"{po_path}: the header has no Plural-Forms")
    for entry in entries:
        problems += entry_problems(entry, f"{po_path}:{entry.line}: {entry.msgid!r}", nplurals)
    return problems


def entry_problems(entry, where, nplurals):
    """What is wrong with one entry (``where`` names it) of a catalogue whose language has
    ``nplurals`` plural forms (None: the header does not say)."""
    if entry.obsolete:
        return [f"{where}: a stale (obsolete) entry; run make messages"]
    problems = []
    if "fuzzy" in entry.flags:
        what = "the header" if entry.is_header else "fuzzy"
        problems.append(f"{where}: {what} is marked fuzzy; review it and remove the flag")
    if entry.is_header:
        return problems
    if entry.msgid_plural is None:
        forms = {0: (entry.msgid, entry.msgstr)}
    else:
        if nplurals is not None and sorted(entry.msgstr_plural) != list(range(nplurals)):
            problems.append(
                f"{where}: has plural forms {sorted(entry.msgstr_plural)}, the language needs "
                f"{list(range(nplurals))}"
            )
        forms = {
            index: (entry.msgid if index == 0 else entry.msgid_plural, text)
            for index, text in entry.msgstr_plural.items()
        }
    return problems + _translation_problems(entry, where, forms)


def _translation_problems(entry, where, forms):
    """Each form (index: (message, translation)) is translated and keeps the message's markers."""
    problems = []
    for index, (source, text) in sorted(forms.items()):
        label = "" if entry.msgid_plural is None else f"msgstr[{index}] "
        if not text:
            problems.append(f"{where}: {label}is empty")
            continue
        wanted, got = markers(source, entry.flags), markers(text, entry.flags)
        if wanted != got:
            problems.append(f"{where}: {label}{_describe(wanted - got, got - wanted)}")
    return problems


def mo_problems(po_path, mo_path):
    """The committed .mo must hold exactly what compiling the .po gives."""
    po_path, mo_path = Path(po_path), Path(mo_path)
    if not mo_path.exists():
        return [f"{mo_path}: missing; run make messages and commit it"]
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp) / "django.mo"
        result = subprocess.run(
            ["msgfmt", "--check-format", "-o", str(fresh), str(po_path)], capture_output=True, text=True
        )
        if result.returncode:
            return [f"{po_path}: msgfmt fails: {result.stderr.strip()}"]
        with fresh.open("rb") as expected, mo_path.open("rb") as committed:
            in_step = (
                fresh.read_bytes() == mo_path.read_bytes()
                or gettext.GNUTranslations(expected)._catalog == gettext.GNUTranslations(committed)._catalog
            )
    if not in_step:
        return [f"{mo_path}: out of step with {po_path.name}; run make messages and commit it"]
    return []


def _copy_ignore(root, patterns):
    def ignore(directory, names):
        skipped = set()
        for name in names:
            relative = os.path.relpath(os.path.join(directory, name), root)
            if (
                name.startswith(".")
                or name == "__pycache__"
                or any(fnmatchcase(name, p) or fnmatchcase(relative, p) for p in patterns)
            ):
                skipped.add(name)
        return skipped

    return ignore


def msgid_drift(root, locale_dir, languages, ignore_patterns):
    """Messages that makemessages on the code under ``root`` would add to or remove from each catalogue.

    makemessages runs on a temporary copy of ``root`` (its locale/ included); nothing under ``root``
    is written."""
    root, locale_dir = Path(root).resolve(), Path(locale_dir).resolve()
    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "project"
        shutil.copytree(root, copy, symlinks=True, ignore=_copy_ignore(root, ignore_patterns))
        copied_locale = copy / locale_dir.relative_to(root)
        previous = os.getcwd()
        os.chdir(copy)
        try:
            call_command(
                "makemessages",
                locale=list(languages),
                ignore_patterns=list(ignore_patterns),
                no_obsolete=True,
                verbosity=0,
                stdout=io.StringIO(),
                stderr=io.StringIO(),
            )
        finally:
            os.chdir(previous)
        for language in languages:
            relative = Path(language) / "LC_MESSAGES" / f"{DOMAIN}.po"
            shown = locale_dir.relative_to(root) / relative

            def keys(path):
                return {e.key for e in parse_po(path.read_text(encoding="utf-8")) if not e.obsolete}

            current, fresh = keys(locale_dir / relative), keys(copied_locale / relative)
            for key in sorted(fresh - current, key=str):
                problems.append(f"{shown}: makemessages would add {key[1]!r}")
            for key in sorted(current - fresh, key=str):
                problems.append(f"{shown}: makemessages would remove {key[1]!r} (no longer in the code)")
    return problems


def entry_count(locale_dir, language):
    text = (Path(locale_dir) / language / "LC_MESSAGES" / f"{DOMAIN}.po").read_text(encoding="utf-8")
    return sum(1 for entry in parse_po(text) if not entry.is_header and not entry.obsolete)


def catalogue_languages(locale_dir):
    return sorted(p.parent.parent.name for p in Path(locale_dir).glob(f"*/LC_MESSAGES/{DOMAIN}.po"))


class Command(BaseCommand):
    help = (
        "Fail if the translation catalogues are incomplete, fuzzy, stale, out of step with the code "
        "(makemessages would change their messages) or with their compiled .mo files."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--ignore",
            "-i",
            action="append",
            default=[],
            dest="ignore_patterns",
            metavar="PATTERN",
            help="a path pattern makemessages skips (as in makemessages --ignore); repeat as needed",
        )
        parser.add_argument(
            "--no-makemessages",
            action="store_true",
            help="skip the comparison with a fresh makemessages (only check the catalogues themselves)",
        )

    def handle(self, *args, ignore_patterns, no_makemessages, **options):
        locale_dir = Path(settings.LOCALE_PATHS[0])
        languages = catalogue_languages(locale_dir)
        expected = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
        problems = [
            f"{locale_dir / code / 'LC_MESSAGES' / (DOMAIN + '.po')}: missing (settings.LANGUAGES has {code})"
            for code in expected
            if code not in languages
        ]
        for language in languages:
            po_path = locale_dir / language / "LC_MESSAGES" / f"{DOMAIN}.po"
            problems += catalogue_problems(po_path)
            problems += mo_problems(po_path, po_path.with_suffix(".mo"))
        if not no_makemessages:
            problems += msgid_drift(settings.BASE_DIR, locale_dir, languages, ignore_patterns)
        if problems:
            for problem in problems:
                self.stderr.write(problem)
            raise CommandError(
                f"{len(problems)} problem(s) in the translation catalogues; run `make messages`, "
                "translate what it lists, and commit the .po and .mo files."
            )
        counts = ", ".join(f"{language} {entry_count(locale_dir, language)}" for language in languages)
        self.stdout.write(f"Translation catalogues complete and in step with the code (entries: {counts}).")
