"""Fill the empty msgstr of a .po file from a table of translations, then compile it.

    python tools/po_fill.py src/tongyun/APP/locale/en/LC_MESSAGES/django.po translations.tsv

`translations.tsv`: one "中文<TAB>English" per line. Entries already translated are kept; the msgids still
untranslated afterwards are printed (exit 1), so nothing ships half-translated. The .mo is written with
msgfmt beside the .po. Generate the .po first with `django-admin makemessages -l en --no-location` run
inside the app folder (DJANGO_SETTINGS_MODULE=tongyun.settings).
"""

import re
import subprocess
import sys
from pathlib import Path


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def fill(po: Path, table: dict[str, str]) -> list[str]:
    text = po.read_text(encoding="utf-8")
    missing = []

    def replace(match: re.Match) -> str:
        msgid = match.group(1)
        if not msgid:
            return match.group(0)
        english = table.get(msgid.replace('\\"', '"'))
        if english is None:
            missing.append(msgid)
            return match.group(0)
        return f'msgid "{msgid}"\nmsgstr "{_escape(english)}"'

    text = re.sub(r'msgid "((?:[^"\\]|\\.)*)"\nmsgstr ""(?!\n")', replace, text)
    text = text.replace("#, fuzzy\n", "")
    po.write_text(text, encoding="utf-8")
    subprocess.run(["msgfmt", "-o", str(po.with_suffix(".mo")), str(po)], check=True)
    return missing


def main(argv: list[str]) -> int:
    po, tsv = Path(argv[1]), Path(argv[2])
    table = {}
    for line in tsv.read_text(encoding="utf-8").splitlines():
        if "\t" in line:
            chinese, english = line.split("\t", 1)
            table[chinese] = english
    missing = fill(po, table)
    for msgid in missing:
        print(f"untranslated: {msgid}")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
