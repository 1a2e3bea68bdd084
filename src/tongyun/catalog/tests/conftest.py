"""Fixtures of the checks of the curated Shunyi 2026 service demand table (data/shunyi_2026.yaml):
test_tender_data (structure, tender text, spot checks), test_tender_sla and test_tender_cadence.

Plain pytest, no database.  The YAML is produced by tools/extract_tender.py from
the flattened PDF text of the tender.  Tests that compare the data with the
tender text need that text; it is looked up at

1. $TONGYUN_TENDER_PATH, if set;
2. <repo>/docs/tender/000_78531836804d5cc0.txt (the copy shipped with the repository);
3. <repo>/../shared/tender/000_78531836804d5cc0.txt (the shared tender folder).

The repository ships the text, so a missing file is a failure, not a skip.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

import tongyun.catalog

DATA_FILE = Path(tongyun.catalog.__file__).parent / "data" / "shunyi_2026.yaml"
REPO = Path(__file__).resolve().parents[4]
TENDER_NAME = "000_78531836804d5cc0.txt"
TENDER_CANDIDATES = [
    REPO / "docs" / "tender" / TENDER_NAME,  # the copy shipped with the repository
    REPO / ".." / "shared" / "tender" / TENDER_NAME,
]


@pytest.fixture(scope="module")
def rows() -> list[dict]:
    with DATA_FILE.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)["systems"]


@pytest.fixture(scope="module")
def by_row(rows) -> dict[int, dict]:
    return {r["row"]: r for r in rows}


def _tender_path() -> Path | None:
    env = os.environ.get("TONGYUN_TENDER_PATH")
    candidates = [Path(env)] if env else []
    candidates += TENDER_CANDIDATES
    return next((p.resolve() for p in candidates if p.is_file()), None)


@pytest.fixture(scope="module")
def tender_lines() -> list[str]:
    path = _tender_path()
    if path is None:
        pytest.fail(f"tender text not found at {TENDER_CANDIDATES[0]} (or $TONGYUN_TENDER_PATH)")
    return path.read_text(encoding="utf-8").split("\n")
