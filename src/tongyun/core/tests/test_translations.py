"""The English catalogue is complete and compiled: every message of each .po is in the shipped .mo.

The project catalogue lives in src/tongyun/locale; a domain app may keep its own in
src/tongyun/<app>/locale (Django finds both), so that domains do not all edit one file.
"""

import gettext
import re
from pathlib import Path

import pytest

SOURCE = Path(__file__).resolve().parents[2]
LOCALE = SOURCE / "locale" / "en" / "LC_MESSAGES"
CATALOGUES = sorted(SOURCE.glob("**/locale/en/LC_MESSAGES/django.po"))


def _joined(block: str, keyword: str) -> str:
    """The value of a keyword, with its continuation lines ("…" on the following lines) joined."""
    match = re.search(rf'^{keyword} "(.*)"$((?:\n".*")*)', block, re.M)
    if not match:
        return ""
    return match.group(1) + "".join(re.findall(r'^"(.*)"$', match.group(2), re.M))


def _po_entries(po: Path):
    text = po.read_text(encoding="utf-8")
    for block in text.split("\n\n"):
        if "#, fuzzy" in block and 'msgid ""\nmsgstr ""' not in block:
            yield "fuzzy", block
        msgid = _joined(block, "msgid")
        if msgid:
            yield msgid, _joined(block, r"msgstr(?:\[0\])?")


def test_the_project_catalogue_is_found():
    assert LOCALE / "django.po" in CATALOGUES
    assert len(list(_po_entries(LOCALE / "django.po"))) > 200, "the .po was not found or not parsed"


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda po: str(po.relative_to(SOURCE)))
def test_every_message_is_translated_and_compiled(po):
    with open(po.with_suffix(".mo"), "rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    entries = list(_po_entries(po))
    for msgid, msgstr in entries:
        assert msgid != "fuzzy", msgstr
        assert msgstr, f"untranslated: {msgid}"
        assert compiled.gettext(msgid.replace('\\"', '"').replace("\\n", "\n")) != msgid or msgid == msgstr, \
            f".mo is stale (run msgfmt): {msgid}"
