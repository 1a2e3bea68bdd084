"""Inspection cadences (巡检频次) and how they are done (remote / on site)."""
from __future__ import annotations

import re

from .layout import _nows

_CN_COUNT = {"一": 1, "两": 2, "二": 2, "三": 3, "四": 4, "六": 6, "十": 10, "十二": 12, "十五": 15, "七": 7}
_COUNT = r"(\d+|一|两|二|三|四|六|七|十二|十五|十)"
_AT_LEAST = r"(?:不低于|不少于|至少)?\s*"


def _count(text):
    return int(text) if text.isdigit() else _CN_COUNT[text]


def _per_year(n):
    """N 次/年 → a frequency (and an RRULE when the number needs one)."""
    named = {1: "annual", 2: "semiannual", 4: "four_per_year", 12: "monthly"}
    if n in named:
        return named[n], ""
    if 12 % n == 0:
        return "times_per_year", f"FREQ=MONTHLY;INTERVAL={12 // n};BYMONTHDAY=1"
    return None, ""


def _every_days(n):
    if n == 7:
        return "weekly", ""
    if n == 10:
        return "ten_daily", ""
    return "every_n_days", f"FREQ=DAILY;INTERVAL={n}"


# (regex, frequency or callable(match) -> (frequency, rrule)); the first that matches a clause wins.
FREQS = [
    (r"工作日每日|每个工作日|工作日每天|每工作日", "working_daily"),
    (r"每(?:个)?季度\s*" + _AT_LEAST + r"(?:2|两|二)\s*次", "semiquarterly"),
    (r"每月[^，,。；;\d]{0,8}?" + _AT_LEAST + r"(?:2|两|二)\s*次|每半月|每两周", "semimonthly"),
    (r"每\s*" + _COUNT + r"\s*天", lambda m: _every_days(_count(m.group(1)))),
    (r"(\d+)\s*次\s*/\s*年", lambda m: _per_year(int(m.group(1)))),
    (r"(\d+)\s*次\s*/\s*月", lambda m: _per_year(12 * int(m.group(1))) if m.group(1) == "1" else ("semimonthly", "")
     if m.group(1) == "2" else (None, "")),
    (r"每年[^，,。；;]{0,14}?" + _AT_LEAST + _COUNT + r"\s*次", lambda m: _per_year(_count(m.group(1)))),
    (r"每天|每日|（每天）", "daily"),
    (r"每周|每星期|周巡检|周检查", "weekly"),
    (r"每旬|每十天", "ten_daily"),
    (r"每两个?月|每\s*2\s*个月|每双月", "bimonthly"),
    (r"每半年|每\s*6\s*个月|半年一次", "semiannual"),
    (r"每季度|每个季度|季度一次|每\s*3\s*个月|每三个月|以季度为单位", "quarterly"),
    (r"每月|每个月|月度巡检|月度检查|一月一次|月检查", "monthly"),
    (r"每年一次|一年一次|每年", "annual"),
    (r"按需|根据需要|不定期", "on_demand"),
]
INSPECTION_WORD = re.compile(r"巡检|巡查|巡视|检查|维护\s*\d\s*次|维护\s*[一两二]\s*次|校准")
# clauses that name an inspection and a cadence but ask for something else (flagged as exceptions)
CADENCE_NOT_INSPECTION = [
    (r"报告|汇总|报表|月报", "a report about inspections, not an inspection"),
    (r"培训", "training, not an inspection"),
]
# row: [(phrase, tender line or None, reason)] — cadence phrases that are not inspection plans
CADENCE_ROW_EXCEPTIONS: dict[int, list[tuple[str, int | None, str]]] = {
    # lines 22830-22840: 3.安全运维：漏洞扫描，1 次/年；安全配置人工核查，2 次/年；…主机加固，4 次/年；…安全通告，12次/年
    126: [("主机加固，4 次/年", None, "host hardening (安全运维 service), not an inspection"),
          ("安全通告，12次/年", None, "security notices (安全运维 service), not an inspection")],
}


def cadence_of(clause):
    for rx, freq in FREQS:
        m = re.search(rx, clause)
        if m:
            return freq(m) if callable(freq) else (freq, "")
    return None, ""


# How the tender says an inspection is done. On site: 现场 / 实地 / 上门, and 驻场 (the resident staff do it
# where they sit). Remote: 远程 / 线上 / 网络登录 (logging in over the network). "无现场…要求" denies on site.
# A clause naming both ("通过现场或远程登录服务器的方式") leaves the mode open, as does a clause naming neither:
# the tender is silent there and the platform says so rather than guess.
ONSITE_WORDS = re.compile(r"(?<!无)现场|实地|上门|驻场")
REMOTE_WORDS = re.compile(r"远程|线上|网络登录")


def _mode(clause):
    remote, onsite = REMOTE_WORDS.search(clause), ONSITE_WORDS.search(clause)
    if remote and onsite:
        return "unspecified"
    if remote:
        return "remote"
    if onsite:
        return "onsite"
    return "unspecified"


def clauses(text):
    return [c.strip() for c in re.split(r"[，,。；;\n]", text or "") if c.strip()]


def sentences(text):
    """(sentence, its clauses): a cadence keeps the sentence it is stated in as its text
    ("安全配置人工核查，2 次/年")."""
    return [(sent.strip()[:160], clauses(sent)) for sent in re.split(r"[。；;\n]", text or "") if sent.strip()]


def parse_inspections(section_text, other_text="", row=None):
    """Every cadence the row states: each clause of the inspection section with a cadence, and each
    clause elsewhere (other work items, the SLA cell) that names an inspection with a cadence.
    The same frequency stated twice is one plan; a stated mode (远程/现场) wins over none."""
    skip = [_nows(phrase) for phrase, _, _ in CADENCE_ROW_EXCEPTIONS.get(row, [])]
    res = []
    candidates = [(sent, c, True) for sent, cs in sentences(section_text) for c in cs] + \
        [(sent, c, False) for sent, cs in sentences(other_text) for c in cs]
    for sent, c, in_section in candidates:
        if not in_section and not INSPECTION_WORD.search(c):
            continue
        if any(re.search(rx, c) for rx, _ in CADENCE_NOT_INSPECTION) or any(k in _nows(sent) for k in skip):
            continue
        freq, rule = cadence_of(c)
        if freq is None:
            continue
        mode = _mode(c)
        same = [i for i in res if i["frequency"] == freq and i.get("rrule", "") == rule]
        again = next((i for i in same if i["mode"] == mode), None) or \
            (same[0] if same and mode == "unspecified" else None)
        if again is None:
            unspecified = next((i for i in same if i["mode"] == "unspecified"), None)
            if unspecified is not None:
                unspecified["mode"] = mode        # the mode stated later applies to that cadence
                again = unspecified
        if again is not None:
            # the same cadence stated again: one plan, its text keeps every statement
            if _nows(sent) not in _nows(again["text"]):
                again["text"] += " / " + sent
            continue
        item = {"frequency": freq, "mode": mode, "text": sent}
        if rule:
            item["rrule"] = rule
        res.append(item)
    return res


def cadence_exception_flags(rec):
    both = (rec["work_content"] or "") + "\n" + (rec["sla_text"] or "")
    flags, seen = [], set()
    for c in clauses(both):
        if not INSPECTION_WORD.search(c) or cadence_of(c)[0] is None:
            continue
        for rx, reason in CADENCE_NOT_INSPECTION:
            if re.search(rx, c) and c not in seen:
                seen.add(c)
                flags.append({"field": "inspections", "note": reason, "phrase": c})
    for phrase, line, reason in CADENCE_ROW_EXCEPTIONS.get(rec["row"], []):
        if _nows(phrase) not in _nows(both):
            raise SystemExit(f"row {rec['row']}: cadence exception {phrase!r} not in the row")
        flag = {"field": "inspections", "note": reason, "phrase": phrase}
        if line:
            flag["line"] = line
        flags.append(flag)
    return flags
