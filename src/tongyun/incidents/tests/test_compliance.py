"""SLA compliance per unit, system, category and month, against hand-computed incidents.

Systems and their real terms (tender rows):
- row 1  智慧顺义基础地理信息平台 (区经信局, 城市管理):
         轻微 8 h / 7 个工作日, 一般 4 h / 48 h, 严重 1 h / 24 h, 紧急 30 min / 8 h
- row 3  区政府门户网站 (区经信局, 政务办公信息化): 轻微 10 min / 2 h
- row 12 乡村卡口视频巡控系统 (公安局顺义分局, 公共安全): same terms as row 1

The tables are computed at NOW = 2026-04-05 12:00 (Asia/Shanghai).
"""

import datetime as dt
import io
from zoneinfo import ZoneInfo

import openpyxl
import pytest

from tongyun.catalog.models import System
from tongyun.incidents import compliance, services
from tongyun.incidents.excel import export_compliance_workbook

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
H = 3600
DAY = 86400


def at(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=SH)


NOW = at(2026, 4, 5, 12, 0)
FIX = {"cause": "硬件故障", "action_taken": "更换部件"}


@pytest.fixture
def world(user_of):
    """Nine incidents in March and April 2026 across 区经信局 and 公安局顺义分局 (see each comment)."""
    dispatcher = user_of("dispatcher")
    row1, row3, row12 = (System.objects.get(row_no=n) for n in (1, 3, 12))

    def report(system, severity, when, title="故障"):
        return services.report_incident(dispatcher, system=system, title=title, severity=severity,
                                        reported_at=when, now=when + dt.timedelta(minutes=1))

    def act(incident, action, when, **kwargs):
        return services.take_action(dispatcher, incident, action, now=when, **kwargs)

    made = {}
    # A (March, 区经信局): serious 03-10 10:00 → response due 11:00, repair due 03-11 10:00.
    #   acknowledged 10:30 (met), resolved 03-11 12:00 → repair 2 h late.
    made["A"] = a = report(row1, "serious", at(2026, 3, 10, 10, 0), "A")
    act(a, "acknowledge", at(2026, 3, 10, 10, 30))
    act(a, "resolve", at(2026, 3, 11, 12, 0), **FIX)
    # B (March, 区经信局): general 03-10 10:00 → due 14:00 / 03-12 10:00. acknowledged 15:00 (1 h late),
    #   resolved 03-11 10:00 (met).
    made["B"] = b = report(row1, "general", at(2026, 3, 10, 10, 0), "B")
    act(b, "acknowledge", at(2026, 3, 10, 15, 0))
    act(b, "resolve", at(2026, 3, 11, 10, 0), **FIX)
    # C (March, 区经信局): urgent 03-20 09:00 → due 09:30 / 17:00; never touched → both overdue at NOW:
    #   response 16 d 2 h 30 min, repair 15 d 19 h.
    made["C"] = report(row1, "urgent", at(2026, 3, 20, 9, 0), "C")
    # I (March, 区经信局): minor 03-25 10:00, acknowledged 10:10 (met), waiting for parts since 11:00 —
    #   the repair clock is paused before its due moment (04-03 17:30, already past at NOW) → pending.
    made["I"] = i = report(row1, "minor", at(2026, 3, 25, 10, 0), "I")
    act(i, "acknowledge", at(2026, 3, 25, 10, 10))
    act(i, "wait_parts", at(2026, 3, 25, 11, 0))
    # E (March, 公安局): minor Thu 03-05 10:00 → due 18:00 / 7th working day 03-16 17:30; acknowledged
    #   11:00, resolved exactly at 03-16 17:30 → both met (at the due moment counts as met).
    made["E"] = e = report(row12, "minor", at(2026, 3, 5, 10, 0), "E")
    act(e, "acknowledge", at(2026, 3, 5, 11, 0))
    act(e, "resolve", at(2026, 3, 16, 17, 30), **FIX)
    # F (March, 公安局): cancelled → left out everywhere.
    made["F"] = f = report(row12, "general", at(2026, 3, 28, 10, 0), "F")
    act(f, "cancel", at(2026, 3, 28, 10, 5), note="重复报障")
    # D (April in Beijing, still March 31 in UTC, 公安局): serious 04-01 00:30 → due 01:30 / 04-02 00:30;
    #   acknowledged 00:45 (met), not resolved → repair overdue 3 d 11 h 30 min at NOW.
    made["D"] = d = report(row12, "serious", at(2026, 4, 1, 0, 30), "D")
    act(d, "acknowledge", at(2026, 4, 1, 0, 45))
    # G (April, 区经信局): general 04-04 10:00 → response due 14:00 passed (22 h at NOW), repair due
    #   04-06 10:00 not yet → pending.
    made["G"] = report(row1, "general", at(2026, 4, 4, 10, 0), "G")
    # H (April, 区经信局, row 3): minor 04-05 11:55 → due 12:05 / 13:55, both pending at NOW.
    made["H"] = report(row3, "minor", at(2026, 4, 5, 11, 55), "H")
    for incident in made.values():
        incident.refresh_from_db()
    return made


def table(user, month, group_by, **kwargs):
    return compliance.compliance_table(user, month=month, group_by=group_by, now=NOW, **kwargs)


def by_group(result) -> dict:
    return {row["group"]: row for row in result["rows"]}


MARCH_JXJ = {
    "incidents": 4,
    "response_targets": 4, "response_met": 2, "response_breached": 2, "response_pending": 0,
    "response_met_pct": 50.0, "response_breach_seconds": 1 * H + (16 * DAY + 2 * H + 1800),
    "repair_targets": 4, "repair_met": 1, "repair_breached": 2, "repair_pending": 1,
    "repair_met_pct": 33.3, "repair_breach_seconds": 2 * H + (15 * DAY + 19 * H),
    "breaches": 4,
    "breach_seconds_total": 1 * H + 16 * DAY + 2 * H + 1800 + 2 * H + 15 * DAY + 19 * H,
    "breach_seconds_max": 16 * DAY + 2 * H + 1800,
    "calendar_unknown": 0,
}
MARCH_POLICE = {
    "incidents": 1, "response_targets": 1, "response_met": 1, "response_breached": 0, "response_pending": 0,
    "response_met_pct": 100.0, "repair_targets": 1, "repair_met": 1, "repair_breached": 0, "repair_pending": 0,
    "repair_met_pct": 100.0, "breaches": 0, "breach_seconds_total": 0, "breach_seconds_max": 0,
}


def assert_row(row, expected):
    assert {key: row[key] for key in expected} == expected


def test_the_fixture_is_what_the_comments_say(world):
    assert world["A"].response_due == at(2026, 3, 10, 11, 0) and world["A"].repair_due == at(2026, 3, 11, 10, 0)
    assert world["C"].response_due == at(2026, 3, 20, 9, 30) and world["C"].repair_due == at(2026, 3, 20, 17, 0)
    assert world["E"].repair_due == at(2026, 3, 16, 17, 30) == world["E"].resolved_at
    assert world["I"].repair_due < NOW and world["I"].paused_since == at(2026, 3, 25, 11, 0)
    assert world["D"].repair_due == at(2026, 4, 2, 0, 30)
    assert world["F"].state == "cancelled"


def test_march_by_unit(world, user_of):
    result = table(user_of("bureau_admin"), "2026-03", "unit")
    assert result["month"] == dt.date(2026, 3, 1)
    rows = by_group(result)
    assert set(rows) == {"区经信局", "公安局顺义分局"}
    assert_row(rows["区经信局"], MARCH_JXJ)
    assert_row(rows["公安局顺义分局"], MARCH_POLICE)
    assert rows["区经信局"]["unit_id"] == world["A"].system.unit_id
    total = result["total"]
    assert total["incidents"] == 5 and total["breaches"] == 4
    assert total["response_met_pct"] == 60.0 and total["repair_met_pct"] == 50.0
    assert total["breach_seconds_max"] == MARCH_JXJ["breach_seconds_max"]


def test_march_by_system_and_by_category(world, user_of):
    bureau = user_of("bureau_admin")
    systems = table(bureau, dt.date(2026, 3, 1), "system")["rows"]
    assert [r["system_id"] for r in systems] == [world["A"].system_id, world["E"].system_id]  # tender order
    assert_row(systems[0], MARCH_JXJ)
    assert systems[1]["unit_name"] == "公安局顺义分局"
    categories = by_group(table(bureau, "2026-03", "category"))
    assert set(categories) == {"城市管理", "公共安全"}
    assert_row(categories["城市管理"], MARCH_JXJ)
    assert categories["公共安全"]["category"] == "公共安全"


def test_april_pending_and_the_beijing_month_boundary(world, user_of):
    rows = by_group(table(user_of("bureau_admin"), "2026-04", "unit"))
    assert_row(rows["公安局顺义分局"], {   # D: reported 04-01 00:30 Beijing time = 03-31 in UTC
        "incidents": 1, "response_met": 1, "response_met_pct": 100.0,
        "repair_breached": 1, "repair_met_pct": 0.0, "breach_seconds_total": 3 * DAY + 11 * H + 1800,
    })
    assert_row(rows["区经信局"], {   # G response overdue 22 h, repair pending; H both pending
        "incidents": 2, "response_targets": 2, "response_met": 0, "response_breached": 1, "response_pending": 1,
        "response_met_pct": 0.0, "repair_targets": 2, "repair_met": 0, "repair_breached": 0, "repair_pending": 2,
        "repair_met_pct": None, "breaches": 1, "breach_seconds_total": 22 * H, "breach_seconds_max": 22 * H,
    })


def test_filters(world, user_of):
    bureau = user_of("bureau_admin")
    rows = table(bureau, "2026-03", "unit", params={"severity": "urgent"})["rows"]
    assert [(r["group"], r["incidents"], r["breaches"]) for r in rows] == [("区经信局", 1, 2)]
    assert table(bureau, "2026-03", "unit", params={"system": world["E"].system_id})["total"]["incidents"] == 1
    assert table(bureau, "2026-03", "unit", params={"category": "公共安全"})["total"]["incidents"] == 1


def test_unit_admin_sees_only_its_own_unit(world, user_of):
    own = table(user_of("unit_admin"), "2026-03", "unit")
    assert [r["group"] for r in own["rows"]] == ["区经信局"]
    assert_row(own["rows"][0], MARCH_JXJ)
    police = table(user_of("unit_admin_police"), "2026-03", "system")
    assert [r["system_id"] for r in police["rows"]] == [world["E"].system_id]
    # asking for another unit's systems gives nothing, not an error
    assert table(user_of("unit_admin"), "2026-03", "unit", params={"unit": world["E"].system.unit_id})["rows"] == []
    breaches = compliance.breach_list(user_of("unit_admin_police"), "2026-03", now=NOW)
    assert list(breaches) == []


def test_breach_list_with_durations(world, user_of):
    breaches = list(compliance.breach_list(user_of("bureau_admin"), "2026-03", now=NOW))
    assert [i.title for i in breaches] == ["C", "B", "A"]
    durations = {i.title: (compliance.seconds_of(i.response_breach), compliance.seconds_of(i.repair_breach))
                 for i in breaches}
    assert durations == {"A": (None, 2 * H), "B": (1 * H, None),
                         "C": (16 * DAY + 2 * H + 1800, 15 * DAY + 19 * H)}


def test_a_repair_paused_after_its_due_moment_is_breached(world, user_of):
    """A pause that starts after the due moment does not move it (sla_clock.deadline_with_pauses)."""
    dispatcher = user_of("dispatcher")
    incident = world["G"]   # repair due 04-06 10:00
    services.take_action(dispatcher, incident, "acknowledge", now=at(2026, 4, 6, 9, 0))
    services.take_action(dispatcher, incident, "wait_user", now=at(2026, 4, 6, 11, 0))
    later = at(2026, 4, 6, 12, 0)
    rows = compliance.compliance_table(user_of("bureau_admin"), month="2026-04", group_by="system", now=later,
                                       params={"system": incident.system_id})["rows"]
    assert_row(rows[0], {"incidents": 1, "repair_breached": 1, "repair_pending": 0, "repair_breach_seconds": 2 * H})


def test_calendar_unknown_is_counted(user_of):
    when = at(2026, 12, 28, 10, 0)
    services.report_incident(user_of("dispatcher"), system=System.objects.get(row_no=1), title="年末",
                             severity="minor", reported_at=when, now=when)
    row = compliance.compliance_table(user_of("bureau_admin"), month="2026-12", group_by="unit",
                                      now=at(2026, 12, 28, 11, 0))["rows"][0]
    assert_row(row, {"incidents": 1, "calendar_unknown": 1, "response_targets": 1, "repair_targets": 0,
                     "response_pending": 1})


@pytest.mark.parametrize("month", ["2026-13", "2026/03", "March", "", "2026-03-15"])
def test_bad_month_is_refused(user_of, month):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        compliance.compliance_table(user_of("bureau_admin"), month=month, group_by="unit")
    assert "month" in error.value.message_dict


def test_excel_export_has_the_same_numbers(world, user_of):
    bureau = user_of("bureau_admin")
    content = export_compliance_workbook(bureau, month="2026-03", groupings="unit,category", breaches=True, now=NOW)
    book = openpyxl.load_workbook(io.BytesIO(content))
    assert book.sheetnames == ["按用户单位", "按类别", "超时明细", "说明"]
    sheet = book["按用户单位"]
    header = [c.value for c in sheet[1]]
    assert header[:6] == ["用户单位", "故障数", "有响应时限", "响应按时", "响应超时", "响应待定"]
    lines = {row[0]: dict(zip(header, row, strict=True)) for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert set(lines) == {"区经信局", "公安局顺义分局", "合计"}
    jxj = lines["区经信局"]
    assert (jxj["故障数"], jxj["响应按时"], jxj["响应超时"], jxj["修复按时"], jxj["修复超时"], jxj["修复待定"],
            jxj["超时次数"]) == (4, 2, 2, 1, 2, 1, 4)
    assert jxj["响应达标率"] == pytest.approx(0.5) and jxj["修复达标率"] == pytest.approx(0.333)
    assert jxj["超时总时长（小时）"] == pytest.approx(MARCH_JXJ["breach_seconds_total"] / 3600)
    assert jxj["最长超时（小时）"] == pytest.approx(MARCH_JXJ["breach_seconds_max"] / 3600)
    assert sheet.cell(row=2, column=header.index("响应达标率") + 1).number_format == "0.0%"
    assert lines["合计"]["故障数"] == 5
    categories = [r[0] for r in book["按类别"].iter_rows(min_row=2, values_only=True)]
    assert categories == ["公共安全", "城市管理", "合计"]  # in the order of Category
    breach_rows = list(book["超时明细"].iter_rows(min_row=2, values_only=True))
    assert [r[3] for r in breach_rows] == ["C", "B", "A"]


def test_excel_export_is_scoped(world, user_of):
    content = export_compliance_workbook(user_of("unit_admin"), month="2026-03", breaches=True, now=NOW)
    book = openpyxl.load_workbook(io.BytesIO(content))
    text = " ".join(str(c) for ws in book for row in ws.iter_rows(values_only=True) for c in row)
    assert "区经信局" in text and "公安局顺义分局" not in text and "乡村卡口视频巡控系统" not in text


def test_api(world, client, api_as):
    headers = api_as("bureau_admin")
    response = client.get("/api/v1/sla/compliance?month=2026-03&group_by=unit", headers=headers)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["month"] == "2026-03" and body["group_by"] == "unit"
    rows = {r["group"]: r for r in body["results"]}
    # counts do not depend on the moment of the request for March (everything decided or paused)
    assert_row(rows["区经信局"], {k: v for k, v in MARCH_JXJ.items() if "seconds" not in k})
    assert "system_id" not in rows["区经信局"]
    assert body["total"]["incidents"] == 5
    urgent = client.get("/api/v1/sla/compliance?month=2026-03&group_by=system&severity=urgent", headers=headers)
    assert [r["system_id"] for r in urgent.json()["results"]] == [world["C"].system_id]

    breaches = client.get("/api/v1/sla/breaches?month=2026-03", headers=headers).json()
    assert [r["title"] for r in breaches["results"]] == ["C", "B", "A"]
    assert breaches["results"][2]["repair_breach_seconds"] == 2 * H
    assert breaches["results"][2]["response_breach_seconds"] is None

    workbook = client.get("/api/v1/sla/compliance.xlsx?month=2026-03&group_by=unit,system", headers=headers)
    assert workbook.status_code == 200
    assert workbook["Content-Type"].startswith("application/vnd.openxmlformats")
    assert openpyxl.load_workbook(io.BytesIO(workbook.content)).sheetnames == ["按用户单位", "按系统", "说明"]


def test_api_is_scoped(world, client, api_as):
    body = client.get("/api/v1/sla/compliance?month=2026-03", headers=api_as("unit_admin")).json()
    assert [r["group"] for r in body["results"]] == ["区经信局"]
    breaches = client.get("/api/v1/sla/breaches?month=2026-03", headers=api_as("unit_admin_police")).json()
    assert breaches["results"] == []


@pytest.mark.parametrize(("query", "field"), [
    ("month=2026-13", "month"), ("month=abc", "month"), ("group_by=owner", "group_by"),
    ("month=2026-03&severity=huge", "severity"),
])
def test_api_refuses_bad_parameters_naming_them(client, api_as, query, field):
    headers = api_as("bureau_admin")
    for path in ("/api/v1/sla/compliance", "/api/v1/sla/compliance.xlsx", "/api/v1/sla/breaches"):
        if field == "group_by" and path == "/api/v1/sla/breaches":
            continue
        response = client.get(f"{path}?{query}", headers=headers)
        assert response.status_code == 422, (path, query, response.content)
        assert field in response.json()["errors"], (path, response.json())


def test_api_default_month_is_the_current_one(client, api_as):
    response = client.get("/api/v1/sla/compliance", headers=api_as("bureau_admin"))
    assert response.status_code == 200
    assert response.json()["month"] == f"{compliance.current_month():%Y-%m}"
