#!/usr/bin/env python3
"""Extract the Shunyi 2026 service demand table (顺义区信息化统一运维项目服务需求表)
from the flattened PDF text of the tender into a YAML catalog.

Usage (from the repository root):
    python3 tools/extract_tender.py ../shared/tender/000_78531836804d5cc0.txt \
        src/tongyun/catalog/data/shunyi_2026.yaml

Only the standard library and PyYAML are used.

How the text is laid out
------------------------
The PDF-to-text conversion emits, for every page, the cells of each table row
one after another (序号, 用户单位, 系统名称, 系统简介, 配套硬件, 部署情况,
驻场人员要求, 服务开始时间, 运维工作内容, 服务保障要求), each cell as short
lines separated by blank lines.  A line that ends with a blank is the end of a
paragraph inside a cell.  When a row crosses a page, the next page repeats the
same column order with the continuation of every cell that did not fit
("continuation chunk").  A page break shows as a non-blank line that starts
with a blank and directly follows the previous non-blank line (no blank line
between them); some pages also carry a lone page number preceded by a line
holding a single blank.

The script
1. finds the rows by their 序号 (rows 59-62 carry no printed number; their
   start lines are listed in MANUAL_STARTS),
2. splits every row into page chunks,
3. assigns every line of a chunk to a column with a small dynamic programme
   that uses the typical line widths of each column (the columns have fixed
   widths, so a wrapped line almost fills its column),
4. joins the cells and parses cadences, 等保, SLA tiers, … from them,
5. applies CORRECTIONS (hand review, keyed by row number) last.

The code lives in the package tools/tender/, one module per concern: layout (rows and columns), sla,
devices, cadences, fields (work sections, 等保, deployment, staff), record (one YAML record per row),
corrections (the hand-review table), coverage (flagged exceptions, applying corrections), output.
This file is the command line; it also offers every name of the package as its own, as the tests use it.
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from tender import cadences, corrections, coverage, devices, fields, layout, output, record, sla  # noqa: E402

for _module in (layout, sla, devices, cadences, fields, record, corrections, coverage, output):
    globals().update({k: v for k, v in vars(_module).items() if not k.startswith("__")})

from tender.coverage import apply_corrections  # noqa: E402
from tender.output import dump  # noqa: E402
from tender.record import build  # noqa: E402


def main(argv):
    if len(argv) != 3:
        print(__doc__)
        return 2
    data = apply_corrections(build(argv[1]))
    dump(data, argv[2])
    print(f"wrote {len(data['systems'])} systems to {argv[2]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
