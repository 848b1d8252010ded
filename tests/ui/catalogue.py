"""Read a gettext catalogue (.po) with the standard library, and find interface strings of that
catalogue left in English on a rendered page."""

import ast
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}")
TAG = re.compile(r"<[^>]+>")
WORD = re.compile(r"[A-Za-z]{2,}")


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str = ""
    msgstr: list = field(default_factory=list)
    fuzzy: bool = False

    @property
    def translated(self):
        return bool(self.msgstr) and all(self.msgstr) and not self.fuzzy

    @property
    def same_in_both(self):
        """Translated with the English words themselves (e.g. a name): not a missing translation."""
        return self.translated and self.msgstr[0] == self.msgid


def read_po(path):
    """The catalogue's live entries (obsolete ``#~`` entries and the header left out)."""
    entries, entry, target = [], Entry(), None

    def finish():
        if entry.msgid:
            entries.append(entry)

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line.startswith("#,") and "fuzzy" in line:
            if entry.msgid or entry.msgstr:
                finish()
                entry = Entry()
            entry.fuzzy = True
        elif line.startswith("#") or not line or line.startswith("msgctxt"):
            continue
        elif line.startswith("msgid_plural "):
            entry.msgid_plural, target = ast.literal_eval(line[13:]), "msgid_plural"
        elif line.startswith("msgid "):
            if entry.msgid or entry.msgstr:
                finish()
                fuzzy = entry.fuzzy and not entry.msgid
                entry = Entry(fuzzy=fuzzy)
            entry.msgid, target = ast.literal_eval(line[6:]), "msgid"
        elif line.startswith("msgstr"):
            entry.msgstr.append(ast.literal_eval(line.split(" ", 1)[1]))
            target = "msgstr"
        elif line.startswith('"') and target:
            text = ast.literal_eval(line)
            if target == "msgstr":
                entry.msgstr[-1] += text
            else:
                setattr(entry, target, getattr(entry, target) + text)
    finish()
    return entries


class TextChunks(HTMLParser):
    """What a reader meets: each text node and the text of attributes read aloud or shown
    (title, aria-label, alt, placeholder, button values), whitespace collapsed. Text inside an
    element marked with another language than the page's (the switcher's "English", "Español") is
    left out: it is meant to be in that language."""

    SHOWN_ATTRIBUTES = {"title", "aria-label", "alt", "placeholder"}
    VOID = {
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "source",
        "track",
        "wbr",
    }

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.chunks, self._open, self._page_language = [], [], None

    @property
    def _skipping(self):
        return any(skip for _tag, skip in self._open)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self._page_language = attrs.get("lang")
            return
        other_language = "lang" in attrs and attrs["lang"] != self._page_language
        skip = tag in ("script", "style") or other_language
        if not (self._skipping or skip):
            for name, value in attrs.items():
                shown = name in self.SHOWN_ATTRIBUTES or (
                    name == "value" and tag == "input" and attrs.get("type") in ("submit", "button")
                )
                if shown and value:
                    self._add(value)
        if tag not in self.VOID:
            self._open.append((tag, skip))

    def handle_endtag(self, tag):
        for index in range(len(self._open) - 1, -1, -1):
            if self._open[index][0] == tag:
                del self._open[index:]
                break

    def handle_data(self, data):
        if not self._skipping:
            self._add(data)

    def _add(self, text):
        text = " ".join(text.split())
        if text:
            self.chunks.append(text)


def chunks_of(html):
    parser = TextChunks()
    parser.feed(html)
    return parser.chunks


def _fragments(msgid):
    """The literal pieces of a message that identify it on a page."""
    text = " ".join(TAG.sub(" ", msgid).split())
    return [piece.strip(" :,.;·()“”\"'") for piece in PLACEHOLDER.split(text)]


# English left by Django itself, not by this project (reported upstream; nothing to translate here).
DJANGO_HARD_CODED = {
    "Search",  # admin/search_form.html: <img alt="Search"> is not marked for translation in Django 5.2
}


def untranslated_on_page(html, entries):
    """Messages of the catalogue whose English text the page shows although they are interface
    text (translated in the catalogue, or due to be).

    A message without placeholders counts when a text chunk of the page (a trailing ":" aside) is
    exactly that message: the record's own English text (titles, notes) merely containing the words
    of a message does not count. A message with placeholders counts when its
    longest literal piece (three words or more) appears in the page."""
    chunks = chunks_of(html)
    whole = set(chunks) | {chunk.rstrip(" :") for chunk in chunks}
    page = "\n".join(chunks)
    found = []
    for entry in entries:
        if entry.same_in_both:
            continue
        for msgid in filter(None, (entry.msgid, entry.msgid_plural)):
            if msgid in DJANGO_HARD_CODED:
                continue
            if not PLACEHOLDER.search(msgid) and not TAG.search(msgid):
                hit = " ".join(msgid.split()).strip(" :") in whole
            else:
                pieces = [p for p in _fragments(msgid) if WORD.search(p)]
                longest = max(pieces, key=len, default="")
                hit = len(longest.split()) >= 3 and longest in page
            if hit:
                found.append(msgid)
                break
    return found
