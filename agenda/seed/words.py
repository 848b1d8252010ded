"""The source files' words: what a cell of a source CSV may say, and the stored value it stands for."""

import re

from summits.choices import CountryCode, ReportKind, SummitKind

from ..choices import AgendaSlug, Confidence, IrritantCategory, IrritantStatus, LeadLevel, LineageKind


def words(choices):
    """Words for ``choices`` where the source files write the stored values themselves."""
    return {value: value for value in choices.values}


STATUS_WORDS = {
    "not_started": IrritantStatus.NOT_STARTED,
    "initiated": IrritantStatus.INITIATED,
    "on_track": IrritantStatus.ON_TRACK,
    "delayed": IrritantStatus.DELAYED,
    "ongoing": IrritantStatus.ONGOING,
    "completed": IrritantStatus.COMPLETED,
    "dropped": IrritantStatus.DROPPED,
}
CATEGORY_WORDS = {
    "early_harvest": IrritantCategory.EARLY_HARVEST,
    "big_impact": IrritantCategory.BIG_IMPACT,
    "long_term": IrritantCategory.LONG_TERM,
}
# lineage.csv's words for a link's kind (the short forms sources.md names are accepted too).
LINEAGE_KIND_WORDS = {
    "carried_forward": LineageKind.CARRIED_FORWARD,
    "refined": LineageKind.REFINED,
    "merged_into": LineageKind.MERGED_INTO,
    "merged": LineageKind.MERGED_INTO,
    "split_from": LineageKind.SPLIT_FROM,
    "split": LineageKind.SPLIT_FROM,
    "superseded_by": LineageKind.SUPERSEDED_BY,
    "superseded": LineageKind.SUPERSEDED_BY,
    "retired": LineageKind.RETIRED,
}
AGENDA_WORDS = words(AgendaSlug)
COUNTRY_WORDS = words(CountryCode)
CONFIDENCE_WORDS = words(Confidence)
REPORT_KIND_WORDS = words(ReportKind)
SUMMIT_KIND_WORDS = {"leaders_summit": SummitKind.LEADERS_SUMMIT, "ministerial": SummitKind.MINISTERIAL}
LEAD_COLUMNS = {
    "lead_ca": CountryCode.CANADA,
    "lead_mx": CountryCode.MEXICO,
    "lead_us": CountryCode.UNITED_STATES,
}
AGENDA_LEVEL = re.compile(r"^(?P<department>.+?)\s*\((?P<note>agenda-level:.*)\)$", re.S)
WITH_NOTE = re.compile(r"^(?P<department>[^(]+?)\s*\((?P<note>.*)\)$", re.S)


def parse_lead(text):
    """'Dept (agenda-level: why)' -> agenda level; 'Dept, office (role)' -> group level."""
    match = AGENDA_LEVEL.match(text)
    if match:
        return LeadLevel.AGENDA, match["department"].strip(), match["note"].strip()
    match = WITH_NOTE.match(text)
    if match:
        return LeadLevel.GROUP, match["department"].strip(), match["note"].strip()
    return LeadLevel.GROUP, text, ""
