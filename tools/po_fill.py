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


def _joined(lines: list[str]) -> str:
    return "".join(re.match(r'^(?:msgid |msgstr )?"(.*)"$', line).group(1) for line in lines)


def fill(po: Path, table: dict[str, str]) -> list[str]:
    """Fill every entry whose msgstr is empty; msgids may run over several lines."""
    blocks = po.read_text(encoding="utf-8").split("\n\n")
    missing = []
    for index, block in enumerate(blocks):
        lines = block.split("\n")
        ids = [i for i, line in enumerate(lines) if line.startswith("msgid ")]
        strs = [i for i, line in enumerate(lines) if line.startswith("msgstr ")]
        if not ids or not strs:
            continue
        msgid = _joined(lines[ids[0]:strs[0]])
        msgstr = _joined([line for line in lines[strs[0]:] if line.startswith(("msgstr", '"'))])
        if not msgid or msgstr:
            continue
        english = table.get(msgid.replace('\\"', '"').replace("\\n", "\n"))
        if english is None:
            missing.append(msgid)
            continue
        lines = lines[:strs[0]] + [f'msgstr "{_escape(english)}"'] + \
            [line for line in lines[strs[0] + 1:] if not line.startswith('"')]
        blocks[index] = "\n".join(line for line in lines if line != "#, fuzzy")
    po.write_text("\n\n".join(blocks).replace("#, fuzzy\n", ""), encoding="utf-8")
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
