"""Extract the tender's spare-part cap tables into src/tongyun/spares/data/tender_caps.yaml.

The two tables "常用易损件及备品备件数量清单" (tender lines ≈ 27702–28197: row 23 各镇街智慧平安小区运维 and
row 29 顺义区非现场执法设施系统) and row 66's "各类型号最少 10 台". The item boundaries are listed here by
hand (the PDF conversion wraps names over lines and repeats the table head on every page); the parameter
text is taken from the tender as it stands, without the repeated table heads.

    python tools/extract_spares.py [tender.txt]
"""

import re
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
TENDER = ROOT / "docs" / "tender" / "000_78531836804d5cc0.txt"
OUT = ROOT / "src" / "tongyun" / "spares" / "data" / "tender_caps.yaml"
HEAD = re.compile(r"^(各镇街智慧平安小区运维|顺义区非现场执法设施系统).*备品备件和易损件$|^序号 名称 参数 数量$|^[单位]$|^备件使用$|^年份$")
QUANTITY = re.compile(r"(\d+)\s*(台|套|块)\s*2026\s*年$")

# (number, name, model, first line, last line, name lines at the start, spec for one-line items)
ROW_23 = [
    (1, "智慧社区车辆卡口摄像机", "", 27715, 27810, 3, None),
    (2, "补光灯", "", 27812, 27834, 1, None),
    (3, "多功能设备", "", 27836, 27876, 1, None),
    (4, "社区人脸抓拍机", "", 27888, 27935, 3, None),
    (5, "智慧门禁设备", "", 27937, 27975, 1, None),
    (6, "NVR 硬盘录像机", "", 27987, 28016, 3, None),
    (7, "硬盘", "HK728TAH", 28018, 28018, 0, "IoT 硬盘,HK728TAH,8TB,7200RPM,SATA"),
]
ROW_29 = [
    (1, "黄闪灯", "", 28030, 28030, 0, "黄闪灯 中 300、金属抱箍"),
    (2, "蓄电池", "12V7AH", 28032, 28032, 0, "黄闪灯蓄电池容量(A·h):12V7AH"),
    (3, "高清抓拍单元", "", 28034, 28096, 1, None),
    (4, "违停抓拍单元", "", 28108, 28138, 1, None),
    (5, "交通终端服务器", "", 28140, 28169, 3, None),
    (6, "补光灯", "", 28171, 28197, 1, None),
]
# Row 29 (L7554–L7568): "2026 年需至少储备…；2027 年—2028 年每年需储备…"
ROW_29_MINIMUMS = {"黄闪灯": (24, 41), "蓄电池": (30, 50), "高清抓拍单元": (3, 5), "违停抓拍单元": (27, 45),
                   "交通终端服务器": (30, 50), "补光灯": (6, 10)}


def _item(lines, number, name, model, first, last, name_lines, one_line_spec):
    body = [lines[n - 1].strip() for n in range(first, last + 1)]
    body = [text for text in body if text and not HEAD.match(text)]
    quantity_line = next(text for text in reversed(body) if QUANTITY.search(text))
    cap, unit = QUANTITY.search(quantity_line).groups()
    if one_line_spec is not None:
        spec = one_line_spec
        assert one_line_spec in quantity_line, (name, quantity_line)
    else:
        spec_lines = body[name_lines:]
        spec_lines = [text for text in spec_lines if text != quantity_line]
        spec = "\n".join(spec_lines)
    return {"number": number, "name": name, "model": model, "spec": spec, "cap": int(cap), "unit": unit,
            "cap_year": 2026, "source_lines": [first, last]}


def main(path: Path = TENDER) -> None:
    lines = path.read_text(encoding="utf-8").splitlines()
    row_23 = [_item(lines, *spec) for spec in ROW_23]
    row_29 = [_item(lines, *spec) for spec in ROW_29]
    for item in row_29:
        first, later = ROW_29_MINIMUMS[item["name"]]
        item["minimum_stock"] = {2026: first, 2027: later, 2028: later}
        item["minimum_source_lines"] = [7554, 7570]
    data = {
        "source": "docs/tender/000_78531836804d5cc0.txt",
        "tables": [
            {"row": 23, "title": "各镇街智慧平安小区运维（2026 年）-备品备件和易损件", "source_lines": [27702, 28018],
             "items": row_23},
            {"row": 29, "title": "顺义区非现场执法设施系统（2026 年）-备品备件和易损件", "source_lines": [28019, 28197],
             "items": row_29},
        ],
        # Row 66 (地下水): no cap, a minimum stock of each model (L13599–L13607).
        "minimums": [
            {"row": 66, "name": "压力探头", "model": "HT V550W", "spec": "德国产 HT V550W 型压力探头（或同等精度设备）",
             "unit": "台", "minimum_stock": {2026: 10}, "source_lines": [13599, 13607]},
            {"row": 66, "name": "GPRS 数据模块", "model": "255 型", "spec": "255 型 GPRS 数据模块（或同等精度设备）",
             "unit": "台", "minimum_stock": {2026: 10}, "source_lines": [13599, 13607]},
        ],
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=200), encoding="utf-8")
    print(f"{OUT}: {len(row_23)} + {len(row_29)} capped items, 2 minimums")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else TENDER)
