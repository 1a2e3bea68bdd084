"""Checks of the curated Shunyi 2026 service demand table: every SLA time phrase is a parsed target or a
flagged exception, and the SLA classes of issue 8 (fixtures in conftest)."""

from __future__ import annotations

import re

from .tender_support import TARGETS, _nows

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
