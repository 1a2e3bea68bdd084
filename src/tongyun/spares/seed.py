"""Seed the contract's spare-part caps from the tender (data/tender_caps.yaml, made by tools/extract_spares.py).

Row 23 (各镇街智慧平安小区运维) and row 29 (顺义区非现场执法设施系统) carry cap tables; row 29 also sets the
minimum stock for 2026–2028; row 66 (地下水) asks for at least 10 of each main model. Idempotent: an item
already present (same system, year, name and model) is left as it is, prices the bureau entered included.
"""

from pathlib import Path

import yaml
from django.db import transaction

from tongyun.catalog.models import System

from .models import SpareItem, Warehouse

DATA_FILE = Path(__file__).with_name("data") / "tender_caps.yaml"
DEFAULT_WAREHOUSE = "顺义区备品备件库房"


def read_caps(path: Path = DATA_FILE) -> dict:
    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def _minimum(minimums: dict | None, year: int) -> int:
    return int((minimums or {}).get(year, 0))


@transaction.atomic
def load_tender_spares(path: Path = DATA_FILE) -> int:
    """Create the tender's items (and the Shunyi warehouse, SP-04); returns how many items were created."""
    data = read_caps(path)
    Warehouse.objects.get_or_create(name=DEFAULT_WAREHOUSE, defaults={"address": "北京市顺义区", "in_shunyi": True})
    created = 0
    rows = [(table["row"], table["title"], item) for table in data["tables"] for item in table["items"]]
    rows += [(item["row"], "", item) for item in data["minimums"]]
    systems = {s.row_no: s for s in System.objects.filter(row_no__in={row for row, _t, _i in rows})}
    for row, title, item in rows:
        system = systems.get(row)
        if system is None:
            continue
        year = int(item.get("cap_year", 2026))
        lines = item["source_lines"]
        source = f"招标文件第 {row} 行" + (f"《{title}》第 {item['number']} 项" if title else "")
        _obj, made = SpareItem.objects.get_or_create(
            system=system, cap_year=year, name=item["name"], model=item.get("model", ""),
            defaults={"spec": item["spec"], "unit": item["unit"], "cap": item.get("cap"),
                      "minimum_stock": _minimum(item.get("minimum_stock"), year),
                      "yearly_minimums": {str(k): v for k, v in (item.get("minimum_stock") or {}).items()},
                      "source": source, "source_line_start": lines[0], "source_line_end": lines[1]},
        )
        created += made
    return created
