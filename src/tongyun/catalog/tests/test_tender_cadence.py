"""Checks of the curated Shunyi 2026 service demand table: every stated inspection cadence is a plan or a
flagged exception, and every stated inspection mode is on its plan (fixtures in conftest)."""

from __future__ import annotations

import re

from .tender_support import _nows

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
