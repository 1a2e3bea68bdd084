"""Checks of the curated Shunyi 2026 service demand table (data/shunyi_2026.yaml).

Plain pytest, no database.  The YAML is produced by tools/extract_tender.py from
the flattened PDF text of the tender.  Tests that compare the data with the
tender text need that text; it is looked up at

1. $TONGYUN_TENDER_PATH, if set;
2. <repo>/docs/tender/000_78531836804d5cc0.txt (the copy shipped with the repository);
3. <repo>/../shared/tender/000_78531836804d5cc0.txt (the shared tender folder).

The repository ships the text, so a missing file is a failure, not a skip.
"""

from __future__ import annotations

import datetime as dt
import os
import re
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
TABLE_FIRST, TABLE_LAST = 2560, 27406  # the demand table in the tender text (1-based lines)

CATEGORIES = {"政务办公信息化", "物联网感知", "非现场执法", "政务及安全",
              "桌面及会议保障", "公共安全", "城市管理", "教育教务"}
UNITS = {"minute", "hour", "day", "working_day", "working_hour"}
# tongyun.catalog.choices.Frequency (bimonthly is part of the loader's vocabulary too)
FREQUENCIES = {"daily", "working_daily", "weekly", "ten_daily", "semimonthly", "monthly", "bimonthly",
               "quarterly", "semiquarterly", "four_per_year", "semiannual", "annual", "every_n_days",
               "times_per_year", "on_demand", "other"}
MODES = {"remote", "onsite", "unspecified"}
DEPLOYMENT_KINDS = {"gov_cloud", "district_idc", "public_cloud", "unit_room", "special_network", "saas",
                    "terminal", "mixed", "other"}
SLA_FORMS = {"severity_tiers", "asset_class", "health_template", "timely_only", "other"}
ROW_KEYS = {
    "row", "source_lines", "unit", "name", "category", "description", "hardware", "devices", "deployment",
    "deployment_kind", "onsite_staff", "onsite_staff_count", "service_start", "service_end", "service_mode",
    "inspection_text", "inspections", "mlps_text", "mlps_level", "mlps_last_assessment_year", "mlps_due_2026",
    "network_power_text", "work_content", "sla_text", "sla_form", "sla", "duty_text", "duty_required",
    "major_event_text", "major_event_required", "flags",
}
TIER_KEYS = {"tier", "tier_label", "definition", "response", "arrival", "repair", "restore", "text", "notes",
             "severity", "applies_when", "repair_from_arrival"}
TARGETS = ("response", "arrival", "repair", "restore")
SLA_FIGURE = re.compile(r"\d+(?:\.\d+)?\s*个?\s*(?:小时|分钟)\s*内|\d+\s*个\s*工作日")


# --------------------------------------------------------------------------- fixtures
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


# --------------------------------------------------------------------------- structure
def test_rows_1_to_154_once_each(rows):
    numbers = [r["row"] for r in rows]
    assert sorted(numbers) == list(range(1, 155))
    assert len(numbers) == len(set(numbers)) == 154


def test_row_keys(rows):
    for r in rows:
        assert set(r) == ROW_KEYS, r["row"]
        for tier in r["sla"]:
            assert set(tier) == TIER_KEYS, r["row"]
        for item in r["inspections"]:
            assert {"frequency", "mode", "text"} <= set(item) <= {"frequency", "mode", "text", "rrule"}, r["row"]
        for flag in r["flags"]:
            assert {"field", "note"} <= set(flag) <= {"field", "note", "phrase", "line"} and flag["note"], r["row"]


def test_source_lines_increasing_inside_table(rows):
    previous_end = TABLE_FIRST
    for r in sorted(rows, key=lambda x: x["row"]):
        a, b = r["source_lines"]
        assert previous_end < a <= b <= TABLE_LAST, r["row"]
        previous_end = b


def test_categories(rows):
    used = {r["category"] for r in rows}
    assert used <= CATEGORIES
    assert used == CATEGORIES, CATEGORIES - used


def test_service_dates(rows):
    for r in rows:
        end = _date(r["service_end"])
        assert end.year == 2026, r["row"]
        if r["service_start"] is None:
            assert _flagged(r, "service_start"), r["row"]
            continue
        start = _date(r["service_start"])
        assert start.year == 2026 and start <= end, r["row"]


def test_vocabularies(rows):
    for r in rows:
        assert r["deployment_kind"] in DEPLOYMENT_KINDS, r["row"]
        assert r["sla_form"] in SLA_FORMS, r["row"]
        assert r["mlps_level"] in (None, 1, 2, 3, 4, 5), r["row"]
        assert isinstance(r["mlps_due_2026"], bool), r["row"]
        assert r["onsite_staff_count"] is None or r["onsite_staff_count"] >= 0, r["row"]
        for item in r["inspections"]:
            assert item["frequency"] in FREQUENCIES, (r["row"], item)
            assert item["mode"] in MODES, (r["row"], item)
        for tier in r["sla"]:
            assert tier["tier"] and tier["tier_label"], r["row"]
            for which in TARGETS:
                target = tier[which]
                if target is not None:
                    assert target["unit"] in UNITS, (r["row"], which, target)
                    assert isinstance(target["value"], int | float) and target["value"] > 0, (r["row"], target)


def test_sla_figures_are_parsed_or_flagged(rows):
    """Every row whose 服务保障要求 states "N 小时内" / "N 分钟内" / "N 个工作日" has a parsed number."""
    for r in rows:
        if not SLA_FIGURE.search(r["sla_text"] or ""):
            continue
        parsed = any(tier[which] for tier in r["sla"] for which in TARGETS)
        assert parsed or _flagged(r, "sla"), r["row"]


# --------------------------------------------------------------------------- SLA coverage (issue 8)
CN_NUMBERS = {"半": 0.5, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
              "十": 10, "十二": 12, "二十四": 24, "四十八": 48, "七十二": 72}
TIME_PHRASE = re.compile(r"(\d+(?:\.\d+)?|[半一二两三四五六七八九十]+)个?(分钟|工作小时|小时|工作日|天)")
PHRASE_UNIT = {"分钟": "minute", "小时": "hour", "工作小时": "working_hour", "工作日": "working_day", "天": "day"}


def _amount(value, unit) -> tuple[float, str]:
    """Minutes and hours compare as minutes (半小时 = 30 分钟); other units as they are."""
    value = float(value)
    if unit == "hour":
        return value * 60, "minute"
    return value, unit


def _spans(text: str, piece: str):
    start = text.find(piece)
    while piece and start >= 0:
        yield start, start + len(piece)
        start = text.find(piece, start + 1)


def sla_coverage_gaps(row: dict) -> list[str]:
    """The time phrases of the row's SLA text that are neither a parsed target (inside the text of a tier
    whose targets include that amount) nor a flagged exception (a flag holding the phrase)."""
    text = _nows(row["sla_text"] or "")
    covered: list[tuple[int, int, set | None]] = []
    for tier in row["sla"]:
        amounts = {_amount(tier[w]["value"], tier[w]["unit"]) for w in TARGETS if tier[w]}
        for piece in re.split("…", _nows(tier["text"] or "")):
            if len(piece) >= 4:
                covered += [(a, b, amounts) for a, b in _spans(text, piece)]
    for flag in row["flags"]:
        if flag.get("phrase"):
            covered += [(a, b, None) for a, b in _spans(text, flag["phrase"])]
    gaps = []
    for m in TIME_PHRASE.finditer(text):
        number = m.group(1)
        value = float(number) if number[0].isdigit() else CN_NUMBERS.get(number)
        amount = _amount(value, PHRASE_UNIT[m.group(2)]) if value is not None else None
        if not any(a <= m.start() and m.end() <= b and (amounts is None or amount in amounts)
                   for a, b, amounts in covered):
            gaps.append(text[max(0, m.start() - 10):m.end() + 6])
    return gaps


def test_sla_coverage_every_time_phrase_is_a_target_or_a_flagged_exception(rows):
    """All 154 rows: no time phrase of 服务保障要求 is silently dropped."""
    gaps = {r["row"]: g for r in rows if (g := sla_coverage_gaps(r))}
    assert gaps == {}


def test_sla_coverage_check_detects_a_dropped_target(by_row):
    """The check is not vacuous: dropping the minor tier of row 44 (the class of the missing closing bracket)
    or a flagged exception makes it fail."""
    row = dict(by_row[44])
    row["sla"] = [t for t in row["sla"] if t["tier"] != "minor"]
    assert sla_coverage_gaps(row) and "7个工作日" in "".join(sla_coverage_gaps(row))
    row = dict(by_row[15])
    row["flags"] = [f for f in row["flags"] if "部件返回" not in (f.get("phrase") or "")]
    assert any("5天" in gap for gap in sla_coverage_gaps(row))


def test_sla_exceptions_name_their_phrase_and_reason(rows):
    for r in rows:
        for flag in r["flags"]:
            if "phrase" in flag and flag["field"] == "sla":
                assert flag["note"] and _nows(flag["phrase"]) in _nows(r["sla_text"])


def test_rows_without_sla_or_inspections_are_flagged(rows):
    for r in rows:
        if not r["sla"]:
            assert _flagged(r, "sla"), r["row"]
        if not r["inspections"]:
            assert _flagged(r, "inspections"), r["row"]


def test_mlps_text_holds_only_the_statement(rows):
    # rows 40/41 used to run on into the following numbered items (1.驻场服务 …)
    for r in rows:
        text = r["mlps_text"] or ""
        assert len(text) <= 120, r["row"]
        assert "驻场服务" not in text and "响应" not in text, r["row"]


# --------------------------------------------------------------------------- against the tender text
def test_unit_and_name_in_tender_lines(rows, tender_lines):
    for r in rows:
        a, b = r["source_lines"]
        chunk = _nows("".join(tender_lines[a - 1:b]))
        assert _nows(r["unit"]) in chunk, (r["row"], r["unit"])
        assert _nows(r["name"]) in chunk, (r["row"], r["name"])


def test_names_keep_no_pdf_spacing(by_row):
    """"OA 系统" in the PDF text is "OA系统" in the tender (lines 27266-27274, 8197-8205)."""
    assert by_row[154]["name"] == "旺泉街道OA办公管理系统"
    assert by_row[35]["name"] == "顺义区城市管理委智慧协同OA系统"
    assert not [r["row"] for r in by_row.values()
                if re.search(r"[\u4e00-\u9fff]\s+[A-Za-z0-9]|[A-Za-z0-9]\s+[\u4e00-\u9fff]", r["name"] + r["unit"])]


def test_row_number_printed_at_start(rows, tender_lines):
    for r in rows:
        if 59 <= r["row"] <= 62:  # 序号 cell empty in the tender (flagged)
            assert _flagged(r, "row")
            continue
        first = tender_lines[r["source_lines"][0] - 1]
        assert re.match(rf"^\s*{r['row']}(\s|$)", first), (r["row"], first)


# --------------------------------------------------------------------------- hand-verified spot checks
# Each expectation was read off the tender text; line numbers are 1-based lines of
# 000_78531836804d5cc0.txt.  Categories are not printed in the tender (assigned by
# judgement in tools/extract_tender.py), so they are checked against that assignment.
SPOT = [
    # row, unit, name, category, deployment_kind, service_start, mlps_level
    (1, "区经信局", "智慧顺义基础地理信息平台", "城市管理",   # 2566-2574
     "gov_cloud", "2026-01-01", 3),                              # 2610 政务云; 2612-2618; 2654 等保三级
    (7, "区经信局", "统一认证系统", "政务及安全",               # 4077-4083
     "district_idc", "2026-07-25", 2),                           # 4105-4109 区信息中心机房; 4113-4119; 4167
    (26, "公安局顺义分局", "顺义分局标准化采集系统", "公共安全",  # 6882-6894
     "other", "2026-03-14", None),                               # 6923-6929; 6990 等保测评: 不涉及
    (36, "区城市管理委", "顺义区停车诱导系统运维项目", "城市管理",  # 8490-8502
     "public_cloud", "2026-06-03", 1),                           # 8530-8536 公有云部署(阿里云); 8540-8546; 8633
    (40, "区卫健委", "区域临床检验中心系统（含基层LIS系统）", "政务办公信息化",  # 9200-9212
     "unit_room", "2026-01-26", 2),                              # 9235-9237 区卫健委机房; 9240-9246; 9282
    (62, "区政务服务局", "顺义政务服务一体化平台运维项目", "政务办公信息化",  # 12720-12732 (序号 not printed)
     "gov_cloud", "2026-02-11", 3),                              # 12816 政务云; 12818-12824; 12882
    (103, "区委组织部", "顺义区村社区信息管理平台", "政务办公信息化",  # 19587-19597
     "public_cloud", None, 3),                                   # 19617-19620 "2026 年 3 月" (no day); 19670
    (108, "区市场监管局", "涉案公物仓网上管理系统", "政务办公信息化",  # 20114-20124
     "other", "2026-01-01", 2),                                  # 20150-20156 市局云平台; 20160-20166; 20221
    (116, "区文旅局", "顺义区旅游服务监管及安全应急指挥平台", "政务办公信息化",  # 21255-21267
     "unit_room", "2026-01-01", 2),                              # 21285-21297 信息机房; 21301-21307; 21370
    (143, "南法信镇", "顺义区南法信镇智能高清网络监控系统维护项目", "公共安全",  # 25565-25579
     "other", "2026-03-21", 2),                                  # 25603-25609 南法信镇政府; 25613-25619; 25720
    (154, "旺泉街道", "旺泉街道OA办公管理系统", "政务办公信息化",  # 27266-27274
     "public_cloud", "2026-01-01", 2),                           # 27308-27314 公有云部署(阿里云); 27318-27324; 27372
]


@pytest.mark.parametrize(("row", "unit", "name", "category", "kind", "start", "mlps"), SPOT,
                         ids=[f"row{s[0]}" for s in SPOT])
def test_spot_check_fields(by_row, row, unit, name, category, kind, start, mlps):
    r = by_row[row]
    assert (r["unit"], r["name"], r["category"]) == (unit, name, category)
    assert r["deployment_kind"] == kind
    assert r["service_start"] == start if start is None else _date(r["service_start"]) == _date(start)
    assert r["mlps_level"] == mlps


SPOT_SLA = [
    # row, tier, which target, (value, unit)
    (1, "minor", "response", (8, "hour")),             # 2672-2674 轻微故障…8 小时内响应
    (1, "minor", "repair", (7, "working_day")),        # 2674-2676 7 个工作日内修复
    (7, "general", "response", (20, "minute")),        # 4179 20 分钟内响应
    (7, "general", "repair", (60, "minute")),          # 4179 60 分钟解决问题
    (26, "serious", "response", (1, "hour")),          # 6979 "…：1小时内" + 6992 "响应，24 小时内修复"
    (26, "serious", "repair", (24, "hour")),           # 6992
    (36, "front_end", "repair", (12, "hour")),         # 8572 前端设备：12 小时内修复（含响应时间）
    (40, "general", "response", (1, "hour")),          # 9302 出现故障时在 1小时内响应
    (40, "general", "repair", (1, "working_day")),     # 9310 一般故障的处理时间为 1 个工作日
    (40, "serious", "restore", (2, "hour")),           # 9310-9312 重大故障(服务中断)应在 2 小时内应急恢复
    (62, "minor", "response", (10, "minute")),         # 12906-12908 10 分钟内响应
    (62, "minor", "repair", (24, "hour")),             # 12908-12910 24 小时内修复
    (108, "serious", "response", (30, "minute")),      # 20218-20220 "30 分钟内" + 20225 "响应，8 小时内修复"
    (108, "serious", "repair", (8, "hour")),           # 20225
    (116, "serious", "response", (30, "minute")),      # 21353-21355 "30 分钟内响" + 21380 "应，8 小时内修复"
    (116, "serious", "repair", (8, "hour")),           # 21380
    (143, "general", "repair", (24, "hour")),          # 25653 单次维修周期不超过 24 小时
    (154, "minor", "repair", (7, "working_day")),      # 27384-27388
]


@pytest.mark.parametrize(("row", "tier", "which", "expected"), SPOT_SLA,
                         ids=[f"row{s[0]}-{s[1]}-{s[2]}" for s in SPOT_SLA])
def test_spot_check_sla(by_row, row, tier, which, expected):
    assert _target(by_row[row], tier, which) == expected


SPOT_INSPECTIONS = [
    (1, {"monthly"}),                         # 2620 一、项目巡检，每月一次
    (7, {"monthly"}),                         # 4125 一、项目巡检，每月一次
    (26, {"weekly"}),                         # 6931 每周一次远程巡检
    (36, {"daily", "monthly", "quarterly"}),  # 8550 每日…巡视; 8554 每月至少 1 次; 8558 每季度至少 1 次
    (40, {"monthly"}),                        # 9248 每月一次巡检
    (62, {"weekly", "daily"}),                # 12842 每日两次专项运维; 12846 每周各 1 次维护巡检
    (108, {"weekly"}),                        # 20168 每周一次巡检
    (116, {"weekly", "monthly"}),             # 21311 系统周检查; 21319 系统月度检查
    (143, {"monthly"}),                       # 25621 每月一次巡检
    (154, {"monthly"}),                       # 27330 一、项目巡检，每月一次
]


@pytest.mark.parametrize(("row", "frequencies"), SPOT_INSPECTIONS, ids=[f"row{s[0]}" for s in SPOT_INSPECTIONS])
def test_spot_check_inspections(by_row, row, frequencies):
    got = {item["frequency"] for item in by_row[row]["inspections"]}
    assert frequencies <= got, got


def test_spot_check_mode_and_mlps_text(by_row):
    assert by_row[26]["inspections"][0]["mode"] == "remote"       # 6931 每周一次远程巡检
    assert by_row[40]["mlps_text"] == "二级等保（2024 年已做）"    # 9282
    assert by_row[41]["mlps_text"] == "二级等保（2024 年已做）"    # 9482
    assert by_row[40]["mlps_last_assessment_year"] == 2024         # 9282
    assert by_row[103]["service_start"] is None                    # 19617-19620 "2026 年 3 月"
    assert _flagged(by_row[103], "service_start") and _flagged(by_row[104], "service_start")


def test_every_tier_with_a_response_target_has_a_repair_or_restore_target_or_a_flag(rows):
    """Rows 16/18 say "24 小时内定位并解决问题", row 55 "24 小时日内修复", row 152 "7 个工作日内修" (cut off):
    each is a repair target; a tier left without one must carry a flag explaining why."""
    missing = [(r["row"], t["tier"]) for r in rows for t in r["sla"]
               if t["response"] and not (t["repair"] or t["restore"]) and not _flagged(r, "sla")]
    assert missing == []


# --------------------------------------------------------------------------- SLA classes of issue 8
def _tier_of(row: dict, key: str) -> dict:
    return next(t for t in row["sla"] if t["tier"] == key)


def _targets(row: dict, key: str) -> dict:
    tier = _tier_of(row, key)
    return {w: (tier[w]["value"], tier[w]["unit"]) for w in TARGETS if tier[w]}


def test_missing_closing_bracket_keeps_the_minor_tier(by_row):
    # lines 9930-9940 "(1)轻微故障（对业务影响极小或无影响：8 小时内响应，7 个工作日内修复"
    for row in (44, 45, 46):
        assert [t["tier"] for t in by_row[row]["sla"]] == ["minor", "general", "serious", "urgent"]
        assert _targets(by_row[row], "minor") == {"response": (8, "hour"), "repair": (7, "working_day")}
        assert _targets(by_row[row], "general") == {"response": (4, "hour"), "repair": (48, "hour")}
    assert _targets(by_row[48], "minor") == {"response": (2, "hour"), "repair": (48, "hour")}


def test_unnumbered_tiers_are_separate(by_row):
    # row 118 lines 21560-21580: 轻微故障…/一般故障…/严重故障…/紧急故障… without (1)-(4)
    assert _targets(by_row[118], "general") == {"response": (2, "hour"), "repair": (24, "hour")}
    assert _targets(by_row[118], "urgent") == {"response": (15, "minute"), "repair": (4, "hour")}
    # row 2 lines 2840-2842: out of hours "如需远程处理问题可在 30 分钟内响应"
    after = _tier_of(by_row[2], "general_after_hours")
    assert (after["severity"], after["applies_when"], after["response"]) == (
        "general", "outside_business_hours", {"value": 30, "unit": "minute"})
    # row 126 lines 22910-22950: 一级…四级故障
    assert _targets(by_row[126], "minor") == {"response": (10, "minute"), "restore": (6, "hour")}
    assert _targets(by_row[126], "urgent") == {"restore": (4, "hour")}
    # rows 85, 86, 88, 91: classes of their own
    assert _targets(by_row[85], "serious") == {"restore": (2, "hour")}
    assert _targets(by_row[86], "general") == {"response": (2, "working_hour")}
    assert _tier_of(by_row[88], "general_after_hours")["response"] == {"value": 2, "unit": "day"}
    assert _targets(by_row[91], "onsite_support") == {"response": (3, "hour"), "arrival": (6, "hour")}


def test_response_values_are_not_left_empty(by_row):
    # row 22 lines 6263-6290 "2 小时内做出响应" / "1 小时内做出响应"; row 15 line 5290 "30分钟内紧急响应"
    assert _tier_of(by_row[22], "minor")["response"] == {"value": 2, "unit": "hour"}
    assert _tier_of(by_row[22], "general")["response"] == {"value": 1, "unit": "hour"}
    assert _tier_of(by_row[15], "urgent")["response"] == {"value": 30, "unit": "minute"}
    # row 89 "在 30分钟内给予电话响应"
    assert _tier_of(by_row[89], "serious")["response"] == {"value": 30, "unit": "minute"}


def test_extra_targets_are_kept(by_row):
    # row 5 line 3402-3417: 一级（致命故障）：响应≤15 分钟；解决≤2 小时
    assert _targets(by_row[5], "fatal") == {"response": (15, "minute"), "repair": (2, "hour")}
    # row 16 line 5476: the row's own major-event targets — a system-specific major-event override
    major = _tier_of(by_row[16], "major_event")
    assert major["applies_when"] == "major_event"
    assert _targets(by_row[16], "major_event") == {"response": (30, "minute"), "repair": (2, "hour")}
    # row 87 line 17304: on site in 2 h, fixed in 8 h; rows 89, 90, 92: on site in 24 h, fixed in 72 h
    assert _targets(by_row[87], "device_fault") == {"arrival": (2, "hour"), "repair": (8, "hour")}
    for row in (89, 90, 92):
        assert _targets(by_row[row], "onsite_support") == {"arrival": (24, "hour"), "repair": (72, "hour")}
    # row 47 lines 10368-10386: the second health-style block
    assert _targets(by_row[47], "health_major") == {"response": (1, "hour"), "arrival": (2, "hour"),
                                                    "repair": (8, "hour")}
    # row 29 lines 7433-7586: three asset classes
    assert by_row[29]["sla_form"] == "asset_class"
    assert {t["tier"] for t in by_row[29]["sla"]} == {"front_end", "waste_lines", "pole_rebuild"}
    assert _targets(by_row[29], "pole_rebuild") == {"repair": (45, "day"), "restore": (60, "day")}
    # row 22 line 6352: arrival by location 20 min / 30 min / 1 h
    arrivals = [_tier_of(by_row[22], k)["arrival"]["value"] for k in ("urgent_hq", "urgent_suburb", "urgent")]
    assert arrivals == [20, 30, 1]
    assert _tier_of(by_row[22], "minor")["repair_from_arrival"] is True   # "到达现场后 1 小时内修复"


def test_repair_including_response(by_row):
    # row 66 line 13500 "10 小时内修复（含响应时间）": counted from the report, response inside it
    general = _tier_of(by_row[66], "general")
    assert general["repair"] == {"value": 10, "unit": "hour"} and general["repair_from_arrival"] is False
    # row 36 line 8572: only the repair time is given, and it includes the response
    assert _targets(by_row[36], "front_end") == {"response": (12, "hour"), "repair": (12, "hour")}
    assert _targets(by_row[36], "back_end") == {"response": (4, "hour"), "repair": (4, "hour")}


# --------------------------------------------------------------------------- cadence coverage (issue 8)
CADENCE_PHRASE = re.compile(r"每(?:个)?(?:日|天|周|星期|月|季度|年|旬|半年|半月|两周|两个?月|双月|工作日)"
                            r"|每\s*\d+\s*(?:天|个月)|\d+\s*次\s*/\s*[年月]|[月季年]度(?:巡检|检查)|周(?:巡检|检查)"
                            r"|以(?:日|周|月|季度|年)为单位")
INSPECTION = re.compile(r"巡检|巡查|巡视|检查|校准")


def cadence_coverage_gaps(row: dict) -> list[str]:
    """Clauses that name an inspection with a cadence but are neither part of a parsed cadence's text nor
    a flagged exception."""
    both = (row["work_content"] or "") + "\n" + (row["sla_text"] or "")
    texts = [_nows(item["text"]) for item in row["inspections"]]
    flagged = [_nows(f["phrase"]) for f in row["flags"] if f["field"] == "inspections" and f.get("phrase")]
    gaps = []
    for sentence in re.split(r"[。；;\n]", both):
        for clause in re.split(r"[，,]", sentence):
            c = _nows(clause)
            if not (INSPECTION.search(c) and CADENCE_PHRASE.search(c)):
                continue
            if any(c in t for t in texts) or any(f in _nows(sentence) or c in f for f in flagged):
                continue
            gaps.append(c)
    return gaps


def test_cadence_coverage_every_stated_cadence_is_a_plan_or_a_flagged_exception(rows):
    gaps = {r["row"]: g for r in rows if (g := cadence_coverage_gaps(r))}
    assert gaps == {}


def test_cadence_coverage_detects_a_dropped_cadence(by_row):
    row = dict(by_row[37])
    row["inspections"] = [i for i in row["inspections"] if i["frequency"] != "bimonthly"]
    assert "每两月1次称重校准" in cadence_coverage_gaps(row)


def _cadences(row: dict) -> set[tuple[str, str]]:
    return {(i["frequency"], i["mode"]) for i in row["inspections"]}


def test_every_stated_cadence_is_its_own_plan_with_its_mode(by_row):
    # row 2 line 2872: 每周 1 次远程巡检，每月 1 次现场巡检
    assert _cadences(by_row[2]) == {("weekly", "remote"), ("monthly", "onsite")}
    # row 37 lines 8668-8700: 每月…软件巡检 2 次 / 每月维护 1 次 / 每两月 1 次称重校准 / 专人每日巡检
    assert {f for f, _ in _cadences(by_row[37])} == {"daily", "semimonthly", "monthly", "bimonthly"}
    # row 16 line 5325: 每年 4 次现场巡检，以及每周远程巡检
    assert _cadences(by_row[16]) == {("four_per_year", "onsite"), ("weekly", "remote")}
    # row 23: 每季度一次巡检 … 每季度进行一次现场巡检 — one quarterly plan, on site
    assert _cadences(by_row[23]) == {("quarterly", "onsite")}
    # row 87 lines 17920-17935: 每日线上巡检设备 / 前端工程师以季度为单位现场巡检
    assert _cadences(by_row[87]) == {("daily", "remote"), ("quarterly", "onsite")}


# --------------------------------------------------------------------------- inspection mode coverage
# Said independently of tools/extract_tender.py: the words that state how an inspection is done.
ONSITE = re.compile(r"(?<!无)现场|实地|上门|驻场")
REMOTE = re.compile(r"远程|线上|网络登录")


def _stated_mode(clause: str) -> str:
    remote, onsite = bool(REMOTE.search(clause)), bool(ONSITE.search(clause))
    return "remote" if remote and not onsite else "onsite" if onsite and not remote else "unspecified"


def mode_coverage_gaps(row: dict) -> list[str]:
    """Plans whose mode is not the one their own words state: a clause of the plan's text with a cadence and
    one mode (现场/实地/上门/驻场 or 远程/线上/网络登录) gives its plan that mode; a plan with a mode
    has a clause that states it; where no clause states one the plan stays unspecified (the tender is silent)."""
    gaps = []
    for item in row["inspections"]:
        stated = set()
        for sentence in item["text"].split(" / "):
            for clause in re.split(r"[，,。；;]", sentence):
                if CADENCE_PHRASE.search(_nows(clause)):  # the plan's text: its own statements only
                    stated.add(_stated_mode(clause))
        modes = stated - {"unspecified"}
        if item["mode"] == "unspecified" and modes:
            gaps.append(f"{item['frequency']}: tender says {modes}")
        if item["mode"] != "unspecified" and item["mode"] not in modes:
            gaps.append(f"{item['frequency']}: {item['mode']} without a clause stating it")
    return gaps


def test_mode_coverage_every_stated_mode_is_on_its_plan(rows):
    gaps = {r["row"]: g for r in rows if (g := mode_coverage_gaps(r))}
    assert gaps == {}
    with_mode = sum(i["mode"] != "unspecified" for r in rows for i in r["inspections"])
    assert with_mode == 16, with_mode  # the other plans: the tender does not say (shown as such)


def test_mode_coverage_detects_a_lost_mode(by_row):
    row = {**by_row[74], "inspections": [{**i, "mode": "unspecified"} for i in by_row[74]["inspections"]]}
    assert mode_coverage_gaps(row) == ["daily: tender says {'onsite'}"]  # 驻场人员每日日常巡检


def test_modes_the_tender_states_in_other_words(by_row):
    # row 22: 每月完成一轮…全部设备和系统的实地巡检工作 (实地: on site)
    assert ("monthly", "onsite") in _cadences(by_row[22])
    # row 74: 驻场人员每日日常巡检; row 62: 驻场运维每日两次专项运维 (the resident staff: on site)
    assert ("daily", "onsite") in _cadences(by_row[74]) and ("daily", "onsite") in _cadences(by_row[62])
    # row 85: 无现场巡检要求，定期每周一次网络登录服务器巡检 (logging in over the network: remote)
    assert ("weekly", "remote") in _cadences(by_row[85])
    # row 1: 项目巡检，每月一次 — no word on how: left unspecified
    assert _cadences(by_row[1]) == {("monthly", "unspecified")}


def test_cadence_vocabulary(by_row):
    # row 19: 每 15 天一次巡检 (every N days)
    item = next(i for i in by_row[19]["inspections"] if i["frequency"] == "every_n_days")
    assert item["rrule"] == "FREQ=DAILY;INTERVAL=15"
    # row 31: 每季度 2 次巡检 (twice a quarter)
    assert _cadences(by_row[31]) == {("semiquarterly", "unspecified")}
    # row 76: 每工作日巡检 (working days only)
    assert ("working_daily", "unspecified") in _cadences(by_row[76])
    # row 126: 漏洞扫描，1 次/年；安全配置人工核查，2 次/年 (N times a year)
    assert {"annual", "semiannual", "daily"} == {f for f, _ in _cadences(by_row[126])}
    # row 51: 每年不少于 12 次的系统巡检 (at least N a year)
    assert {f for f, _ in _cadences(by_row[51])} == {"monthly"}
    # row 29: 每年对前端设施开展不低于 2次的例行现场巡检 / 巡检 2 次/年
    assert _cadences(by_row[29]) == {("semiannual", "onsite")}


def test_no_plan_the_tender_does_not_ask_for(by_row):
    # row 56 lines 11700-11712: 每月 2 次巡检 … 每月不低于 2 次进行巡检 — twice a month, no monthly plan
    assert _cadences(by_row[56]) == {("semimonthly", "unspecified")}
    # row 62: "每月应提供巡检报告" is a report, not an inspection
    assert "monthly" not in {f for f, _ in _cadences(by_row[62])}
    assert any(f["field"] == "inspections" and "巡检报告" in f.get("phrase", "") for f in by_row[62]["flags"])
