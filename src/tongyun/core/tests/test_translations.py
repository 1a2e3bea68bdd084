"""The English catalogue is complete and compiled: every message of the .po is in the shipped .mo."""

import gettext
import re
from pathlib import Path

LOCALE = Path(__file__).resolve().parents[2] / "locale" / "en" / "LC_MESSAGES"


def _joined(block: str, keyword: str) -> str:
    """The value of a keyword, with its continuation lines ("…" on the following lines) joined."""
    match = re.search(rf'^{keyword} "(.*)"$((?:\n".*")*)', block, re.M)
    if not match:
        return ""
    return match.group(1) + "".join(re.findall(r'^"(.*)"$', match.group(2), re.M))


def _po_entries():
    text = (LOCALE / "django.po").read_text(encoding="utf-8")
    for block in text.split("\n\n"):
        if "#, fuzzy" in block and 'msgid ""\nmsgstr ""' not in block:
            yield "fuzzy", block
        msgid = _joined(block, "msgid")
        if msgid:
            yield msgid, _joined(block, r"msgstr(?:\[0\])?")


def test_every_message_is_translated_and_compiled():
    with open(LOCALE / "django.mo", "rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    entries = list(_po_entries())
    assert len(entries) > 200, "the .po was not found or not parsed"
    for msgid, msgstr in entries:
        assert msgid != "fuzzy", msgstr
        assert msgstr, f"untranslated: {msgid}"
        assert compiled.gettext(msgid.replace('\\"', '"').replace("\\n", "\n")) != msgid or msgid == msgstr, \
            f".mo is stale (run msgfmt): {msgid}"
