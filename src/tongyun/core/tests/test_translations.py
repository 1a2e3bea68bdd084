"""The English catalogue is complete and compiled: every message of the .po is in the shipped .mo."""

import gettext
import re
from pathlib import Path

LOCALE = Path(__file__).resolve().parents[2] / "locale" / "en" / "LC_MESSAGES"


def _po_entries():
    text = (LOCALE / "django.po").read_text(encoding="utf-8")
    for block in text.split("\n\n"):
        if "#, fuzzy" in block and 'msgid ""\nmsgstr ""' not in block:
            yield "fuzzy", block
        ids = re.findall(r'^msgid "(.+)"$', block, re.M)
        strs = re.findall(r'^msgstr(?:\[0\])? "(.*)"$', block, re.M)
        if ids:
            yield ids[0], strs[0] if strs else ""


def test_every_message_is_translated_and_compiled():
    with open(LOCALE / "django.mo", "rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    entries = list(_po_entries())
    assert len(entries) > 200
    for msgid, msgstr in entries:
        assert msgid != "fuzzy", msgstr
        assert msgstr, f"untranslated: {msgid}"
        assert compiled.gettext(msgid.replace('\\"', '"').replace("\\n", "\n")) != msgid or msgid == msgstr, \
            f".mo is stale (run msgfmt): {msgid}"
