"""The MLPS register from the tender and the 2026 programme: quota, stages, report, progress."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile

from tongyun.catalog.models import System
from tongyun.security import selectors, services
from tongyun.security.choices import MlpsStatus, Stage
from tongyun.security.models import Assessment, MlpsRecord


@pytest.fixture
def register(db):
    services.seed_mlps_register()
    return MlpsRecord.objects


def _row(register, row_no) -> MlpsRecord:
    return register.select_related("system").get(system__row_no=row_no)


def test_register_holds_every_system_with_the_tender_status(register):
    assert register.count() == System.objects.count() == 154
    assert services.seed_mlps_register() == 0  # idempotent
    # MS-02 examples
    one = _row(register, 1)
    assert one.level == 3 and one.last_assessment_year == 2025 and one.status == MlpsStatus.ASSESSED
    assert one.tender_text and one.source_line_start
    assert _row(register, 127).status == MlpsStatus.EXPIRED  # "已做过期" L23069
    assert _row(register, 54).status == MlpsStatus.IN_PROGRESS  # "正在开展 2025 年…"
    # MS-04: rows 75–80 (财政局) and 85–92 (教委) are the units' own — but row 87 says "不涉及。"
    for row_no in (*range(75, 81), 85, 86, *range(88, 93)):
        assert _row(register, row_no).status == MlpsStatus.UNIT_OWN, row_no
    assert _row(register, 87).status == MlpsStatus.NOT_REQUIRED
    assert register.filter(status=MlpsStatus.UNIT_OWN).count() == 13
    assert register.filter(status=MlpsStatus.NEVER, level=2).exists()


def test_level_two_quota_refuses_the_39th(register, user_of):
    bureau = user_of("bureau_admin")
    candidates = list(register.filter(level=2).exclude(status=MlpsStatus.UNIT_OWN).select_related("system")[:39])
    assert len(candidates) == 39
    for record in candidates[:38]:
        services.select_for_assessment(bureau, record.system)
    with pytest.raises(ValidationError) as refused:
        services.select_for_assessment(bureau, candidates[38].system)
    assert "38" in str(refused.value)
    assert Assessment.objects.filter(year=2026, level=2).count() == 38
    # level 3 still has its own 14 places
    level3 = register.filter(level=3).exclude(status=MlpsStatus.UNIT_OWN).first()
    assert services.select_for_assessment(bureau, level3.system).level == 3
    progress = selectors.programme_progress(bureau)
    assert [(lv["level"], lv["quota"], lv["selected"]) for lv in progress["levels"]] == [(2, 38, 38), (3, 14, 1)]


def test_level_three_quota_is_fourteen(register, user_of):
    bureau = user_of("bureau_admin")
    candidates = list(register.filter(level=3).exclude(status=MlpsStatus.UNIT_OWN).select_related("system")[:15])
    for record in candidates[:14]:
        services.select_for_assessment(bureau, record.system)
    with pytest.raises(ValidationError):
        services.select_for_assessment(bureau, candidates[14].system)


def test_only_the_bureau_selects_and_not_outside_scope(register, user_of):
    record = register.filter(level=2).exclude(status=MlpsStatus.UNIT_OWN).select_related("system").first()
    for username in ("pm", "security", "unit01"):
        with pytest.raises(PermissionDenied):
            services.select_for_assessment(user_of(username), record.system)
    bureau = user_of("bureau_admin")
    services.select_for_assessment(bureau, record.system)
    with pytest.raises(ValidationError):  # twice
        services.select_for_assessment(bureau, record.system)
    level1 = register.filter(level=1).select_related("system").first()
    with pytest.raises(ValidationError):
        services.select_for_assessment(bureau, level1.system)
    own = register.filter(status=MlpsStatus.UNIT_OWN).select_related("system").first()
    own.level = 2
    own.save()
    with pytest.raises(ValidationError):
        services.select_for_assessment(bureau, own.system)


def test_an_assessment_through_all_stages_with_a_report(register, user_of):
    bureau, officer = user_of("bureau_admin"), user_of("security")
    record = register.filter(level=2, status=MlpsStatus.NEVER).select_related("system").first()
    assessment = services.select_for_assessment(bureau, record.system)
    day = dt.date(2026, 3, 2)
    for expected in (Stage.FILING, Stage.GAP, Stage.REMEDIATION, Stage.FORMAL):
        assert assessment.stage == expected
        assessment = services.advance_assessment(officer, assessment, completed_on=day, note=f"{expected} done",
                                                 assessor="北京某测评中心")
        day += dt.timedelta(days=30)
    assert assessment.stage == Stage.REPORT
    with pytest.raises(ValidationError) as missing:
        services.advance_assessment(officer, assessment, completed_on=day)
    assert {"report", "score", "conclusion"} <= set(missing.value.message_dict)
    with pytest.raises(ValidationError):  # dates cannot go back
        services.advance_assessment(officer, assessment, completed_on=dt.date(2026, 1, 1),
                                    report=ContentFile(b"%PDF", name="r.pdf"), score=Decimal("85"),
                                    conclusion="basic")
    assessment = services.advance_assessment(officer, assessment, completed_on=day,
                                             report=ContentFile(b"%PDF-1.4 report", name="report.pdf"),
                                             score=Decimal("86.5"), conclusion="basic")
    assert assessment.stage == Stage.DONE and assessment.report and assessment.score == Decimal("86.5")
    assert [s.stage for s in assessment.steps.order_by("id")] == [Stage.FILING, Stage.GAP, Stage.REMEDIATION,
                                                                  Stage.FORMAL, Stage.REPORT]
    record.refresh_from_db()
    assert record.last_assessment_year == 2026 and record.status == MlpsStatus.ASSESSED
    with pytest.raises(ValidationError):
        services.advance_assessment(officer, assessment, completed_on=day)
    with pytest.raises(PermissionDenied):
        services.advance_assessment(user_of("unit01"), assessment, completed_on=day)
    progress = selectors.programme_progress(bureau)
    level2 = progress["levels"][0]
    assert level2["done"] == 1 and level2["stages"][Stage.DONE] == 1
    assert progress["units"] == [{"unit": record.system.unit.name, "unit_id": record.system.unit_id,
                                  "levels": {2: {"selected": 1, "done": 1}}}]


def test_programme_pages_and_stage_form(register, user_of, client_as):
    record = register.filter(level=3).exclude(status=MlpsStatus.UNIT_OWN).select_related("system").first()
    bureau = client_as("bureau_admin")
    response = bureau.post("/security/programme/select/", {"system": record.system_id})
    assert response.status_code == 302
    assessment = Assessment.objects.get(system=record.system)
    assert client_as("pm").post("/security/programme/select/", {"system": record.system_id}).status_code == 403
    officer = client_as("security")
    page = officer.get(f"/security/assessments/{assessment.pk}/")
    assert page.status_code == 200 and "定级备案" in page.content.decode()
    officer.post(f"/security/assessments/{assessment.pk}/", {"completed_on": "2026-03-01", "note": "备案完成"})
    assessment.refresh_from_db()
    assert assessment.stage == Stage.GAP
    listing = client_as("bureau_admin").get("/security/programme/").content.decode()
    assert record.system.name in listing
