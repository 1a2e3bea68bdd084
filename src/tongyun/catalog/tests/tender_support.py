"""Helpers shared by the tender-data checks (test_tender_data, test_tender_sla, test_tender_cadence)."""

from __future__ import annotations

import datetime as dt
import re

TARGETS = ("response", "arrival", "repair", "restore")


def _flagged(row: dict, field: str) -> bool:
    return any(f["field"] == field for f in row["flags"])


def _date(value) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def _nows(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _target(row: dict, tier_key: str, which: str):
    tier = next(t for t in row["sla"] if t["tier"] == tier_key)
    target = tier[which]
    return (target["value"], target["unit"]) if target else None
