"""The trainings "after each upgrade" of tender rows 38–47 (OT-01): a recorded upgrade of such a system owes
a training with a due date on the working calendar; the rows and their lines are checked against the tender."""

import datetime as dt
import re
from pathlib import Path

import pytest

from tongyun.catalog import services as catalog_services
from tongyun.catalog.models import System
from tongyun.staffing import rules, services
from tongyun.staffing.models import Training

pytestmark = pytest.mark.django_db
TENDER = Path(__file__).resolve().parents[4] / "docs" / "tender" / "000_78531836804d5cc0.txt"


def test_the_rows_and_lines_are_the_tenders():
    lines = TENDER.read_text(encoding="utf-8").splitlines()
    for row, cited in rules.UPGRADE_TRAINING_ROWS.items():
        first, last = (int(n) for n in re.findall(r"\d+", cited))
        text = "".join(lines[first - 1:last]).replace(" ", "")
        assert "升级后提供培训" in text, (row, cited)
        system = System.objects.get(row_no=row)
        assert system.source_line_start <= first <= last <= system.source_line_end, (row, cited)
    assert set(rules.UPGRADE_TRAINING_ROWS) == {38, 39, 40, 41, 42, 43, 45, 47}


def test_an_upgrade_owes_a_training_due_in_ten_working_days(user_of):
    system = System.objects.get(row_no=38)
    # recorded on Friday 2026-09-25; the 2026 National Day holiday is 10-01…10-07 with Saturday 10-10 worked
    change = catalog_services.record_system_change(user_of("bureau_admin"), system, kind="upgrade",
                                                   effective_date=dt.date(2026, 9, 25), description="V3.2 升级")
    training = Training.objects.get(after_change=change)
    assert training.system == system and training.held_on is None
    assert "第 38 行" in training.basis and "L9037–L9039" in training.basis
    # 9-28, 9-29, 9-30, 10-08, 10-09, 10-10 (make-up Saturday), 10-12, 10-13, 10-14, 10-15
    assert training.due_on == dt.date(2026, 10, 15)
    assert training.due_on == training.planned_on
    assert change.training == training


def test_only_upgrades_of_those_rows(user_of):
    admin = user_of("bureau_admin")
    other_row = System.objects.get(row_no=44)  # row 44 does not ask for it
    catalog_services.record_system_change(admin, other_row, kind="upgrade", effective_date=dt.date(2026, 5, 6),
                                          description="升级")
    catalog_services.record_system_change(admin, System.objects.get(row_no=39), kind="other",
                                          effective_date=dt.date(2026, 5, 6), description="调整联系人")
    assert not Training.objects.filter(after_change__isnull=False).exists()


def test_upgrades_recorded_before_are_caught_up_once(user_of):
    from tongyun.core.hooks import _handlers

    system = System.objects.get(row_no=45)
    handlers = _handlers["system_change_recorded"]
    saved = list(handlers)
    handlers.clear()  # an upgrade recorded while the rule did not exist
    try:
        change = catalog_services.record_system_change(user_of("bureau_admin"), system, kind="upgrade",
                                                       effective_date=dt.date(2026, 4, 1), description="升级")
    finally:
        handlers.extend(saved)
    assert not Training.objects.filter(after_change=change).exists()
    services.plan_trainings(2026)
    services.plan_trainings(2026)
    assert Training.objects.filter(after_change=change).count() == 1
    assert Training.objects.get(after_change=change).due_on == dt.date(2026, 4, 16)  # 10 working days after 4-01
