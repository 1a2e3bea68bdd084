"""SLA tiers and time targets (响应 / 到场 / 修复 / 恢复) from a row's 服务保障要求."""
from __future__ import annotations

import re

# --------------------------------------------------------------------------
# parsing helpers
UNITS = {"分钟": "minute", "分": "minute", "小时": "hour", "个小时": "hour", "h": "hour",
         "工作日": "working_day", "个工作日": "working_day", "天": "day", "日": "day", "个日": "day"}
CN_NUM = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
          "九": 9, "十": 10, "半": 0.5, "十二": 12, "二十四": 24, "四十八": 48, "七十二": 72}
NUM = r"(\d+(?:\.\d+)?|半|一|二|两|三|四|五|六|七|八|九|十二|二十四|四十八|七十二|十)"
UNIT = r"(个工作日|工作日|个小时|小时|分钟|天|日)"


def _num(s):
    if s in CN_NUM:
        return CN_NUM[s]
    v = float(s)
    return int(v) if v.is_integer() else v


def _val(m):
    if not m:
        return None
    unit = m.group(2).replace("个", "")
    return {"value": _num(m.group(1)), "unit": UNITS[unit]}


def find_target(text, verbs):
    """First '<n> <unit> 内 … <verb>' in text."""
    verbs_re = "|".join(verbs)
    m = re.search(NUM + r"\s*个?\s*" + UNIT + r"\s*(?:以)?内?\s*(?:(?:完成|给予电话|给予|作出|做出|进行|必须|须|需|定位并|紧急)\s*)?(?:"
                  + verbs_re + ")", text)
    if not m:
        # "响应≤15 分钟" (row 5, line 3417)
        m = re.search(r"(?:" + verbs_re + r")\s*[≤<]\s*" + NUM + r"\s*个?\s*" + UNIT, text)
    if not m:
        # "<verb>…不超过 N <unit>" (e.g. 单次维修周期不超过 24 小时)
        m = re.search(r"(?:" + verbs_re + r")[^，,。；;]{0,8}?(?:不得?超过|不得?多于)\s*" + NUM + r"\s*个?\s*" + UNIT, text)
    return _val(m)


RESP = ["响应", "回应"]
ARRIVE = ["到达现场", "到达用户现场", "到场", "到现场", "赶到现场", "赶赴现场", "到达", "抵达"]
REPAIR = ["修复", "日内修复", "修", "解决", "排除", "处理完毕", "完成修复", "完成处理", "处理", "完成整改", "整改", "维修周期"]
RESTORE = ["应急恢复", "恢复"]

SEVERITY_KEYS = ("minor", "general", "serious", "urgent")
TIER_NAMES = {"轻微": "minor", "一般": "general", "严重": "serious", "紧急": "urgent",
              "重大": "serious", "致命": "urgent", "普通": "general"}


# A tier label: "(1)轻微故障" numbered, or "轻微故障" at the start of a line (rows 118, 138: the tiers are
# not numbered).  The definition in brackets is optional (rows 125, 127: "(3)严重故障：…") and its closing
# bracket may be missing (rows 44-46, 48: "（对业务影响极小或无影响：8 小时内响应") — it then ends at the colon.
_TIER_LABEL = r"(?:[(（]\s*\d\s*[)）]\s*|(?m:^)\s*)(?:ü\s*)?(轻微|一般|严重|紧急)故障"
_TIER_RE = re.compile(
    _TIER_LABEL + r"\s*(?:[（(]([^）)：:]*)[）)]?\s*[：:，,]?|\s*[：:，,])\s*(.*?)"
    r"(?=" + _TIER_LABEL + r"|\n\s*\d\s*[.、．]|值班要求|重保要求|$)", re.S)


def parse_sla(sla):
    tiers = []
    for m in _TIER_RE.finditer(sla):
        label, definition, body = m.group(1), m.group(2), m.group(3).replace("\n", "").strip().rstrip("；;。")
        if definition is None and "）" in body[:40] and "（" not in body[:40]:
            # "(1)轻微故障：对业务影响极小或无影响），远程电话处理" (row 125): the opening bracket is missing
            definition, body = body.split("）", 1)
            body = body.lstrip("，,：: ")
        tiers.append(make_tier(TIER_NAMES[label], label + "故障", definition, body))
    return tiers


def make_tier(tier, label, definition, body, notes=None):
    t = {
        "tier": tier,
        "tier_label": label,
        "definition": definition,
        "response": find_target(body, RESP),
        "arrival": find_target(body, ARRIVE),
        "repair": find_target(body, REPAIR),
        "restore": find_target(body, RESTORE),
        "text": body,
        "notes": notes,
        "applies_when": "always",
        "repair_from_arrival": False,
    }
    # "到达现场后 1 小时内修复" (row 22, lines 6263-6275): the repair clock starts on arrival
    if re.search(r"到达(?:故障)?现场后\s*" + NUM + r"\s*个?\s*" + UNIT + r"\s*内\s*(?:修复|解决|排除)", body):
        t["repair_from_arrival"] = True
    # "N 小时内修复（含响应时间）": repair counted from the report, the response inside it
    if t["repair"] and not t["response"] and re.search(r"[（(]\s*含响应时间\s*[)）]", body):
        t["response"] = dict(t["repair"])
        t["notes"] = ((notes + "; ") if notes else "") + "含响应时间: the response falls inside the repair time " \
            "counted from the report"
    return t


def health_tiers(flat):
    """卫健委 template: 1 h response, 4 h on site, general fault 1 working day,
    major fault (service interruption) 2 h emergency restore."""
    resp = find_target(flat, RESP)
    arr = find_target(flat, ["到达用户现场", "到达现场"])
    m_gen = re.search(r"一般故\s*障的处理时间为\s*" + NUM + r"\s*个?\s*" + UNIT, flat)
    m_maj = re.search(r"重大故\s*障[^：:]*?应在\s*" + NUM + r"\s*个?\s*" + UNIT + r"\s*内\s*应急恢", flat)
    gen_text = re.search(r"出现故障时.*?一般故\s*障的处理时间为[^;；。]*", flat)
    maj_text = re.search(r"重大故\s*障\s*[(（][^)）]*[)）][^;；。0-9]*?\d+\s*小时内\s*应急恢\s*复?", flat)
    return [
        {"tier": "general", "tier_label": "一般故障", "definition": None,
         "response": resp, "arrival": arr, "repair": _val(m_gen), "restore": None,
         "text": gen_text.group(0) if gen_text else None,
         "notes": "response and on-site targets are stated for any fault (出现故障时…响应；远程不能解决的…到达用户现场)"},
        {"tier": "serious", "tier_label": "重大故障", "definition": "服务中断",
         "response": resp, "arrival": arr, "repair": None, "restore": _val(m_maj),
         "text": maj_text.group(0) if maj_text else None,
         "notes": "应急恢复 target; response/on-site targets shared with all faults"},
    ]


# Device classes: the tender's own kind names are kept as written ("车卡（车辆出入口抓拍机）"); the class
# (摄像机, 服务器, …) is what mapping and reports group by. First match wins (on the name without its
# parenthesis first, then on the whole name).
