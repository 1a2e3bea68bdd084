"""Flagged exceptions (SLA and cadence phrases that are no target) and applying the corrections."""
from __future__ import annotations

import re

from .cadences import cadence_exception_flags
from .corrections import CORRECTIONS
from .devices import parse_devices
from .layout import _nows
from .sla import SEVERITY_KEYS

# --------------------------------------------------------------------------
# Time phrases of the 服务保障要求 text that are not fault targets.  The coverage check
# (catalog/tests/test_tender_sla.py) requires every "N 分钟/小时/工作小时/工作日/天" of a row's SLA text
# to be a parsed target or one of these flagged exceptions (stored as flags with the phrase).
SLA_PHRASE_CLASSES = [
    (r"\d+\s*[*×xX]\s*\d+\s*小时(?:\s*[*×xX]\s*\d+\s*天)?|\d+\s*[*×xX]\s*\d+\s*[*×xX]\s*\d+\s*天"
     r"|\d+\s*天\s*[*×xX]\s*\d+\s*小时",
     "service hours (服务时间 such as 7*24 小时, 5*8 小时), not a fault time limit"),
    (r"每周\s*\d+\s*天\s*[、，,]\s*每天\s*\d+\s*小时", "service hours (每周 N 天、每天 M 小时), not a fault time limit"),
    (r"(?:全天候\s*)?24\s*小时\s*(?:的\s*)?(?:不间断|现场值守|驻场|系统运行监测|在线|值守|职守|应急值守|应急保障组|便民服务电话)",
     "continuous 24-hour service (值守/监测/录制), not a fault time limit"),
    (r"存储时间不低于\s*\d+\s*天", "video retention period, not a fault time limit"),
]
# row: [(phrase as in the tender (blanks ignored), tender line or None, reason)]
SLA_ROW_EXCEPTIONS: dict[int, list[tuple[str, int | None, str]]] = {
    2: [("30 分钟提交故障处理方案", 2862, "a plan to hand in, not a fault clock the platform measures"),
        ("每年提供不低于40 天的 24 小时系统运行监测", 2935, "yearly amount of major-event monitoring days"),
        ("春节10 天，清明五一端午 9 天，中秋国庆 7 天，两会 14 天", 2937, "minimum monitoring days per holiday")],
    15: [("部件返回时间不得超过 5 天", 5298, "return of replaced parts to 甲方, not a fault clock")],
    51: [("应急情况 4 小时内到场支持", 10950, "节假日/重大活动 emergencies; looser than the 2-hour arrival that "
                                          "applies to every fault, so no separate tier")],
    55: [("结束前一天", 11619, "a date (the day before a holiday or major event ends), not a time limit")],
    61: [("共计 102 天", 12719, "number of major-event days in the year, not a time limit")],
    62: [("提前 7 天", None, "notice before replacing an engineer, not a fault clock"),
         ("运营中断超过 4 小时", None, "defines a major accident (grounds to end the contract), not a target"),
         ("共计 102 天", 13013, "number of major-event days in the year, not a time limit")],
    64: [("应答时间不超过 5 分钟", 13320, "duty console answering time (值守), not a fault clock")],
    88: [("4 小时内给出解决方案", 17488, "a plan to hand in, not a fault clock the platform measures"),
         ("24 小时内评估工作量", 17506, "an estimate to hand in for long repairs, not a fault clock")],
    89: [("1 小时内无法解决", 17662, "the condition that opens the on-site tier, not a target")],
    90: [("1 小时内无法解决", 17749, "the condition that opens the on-site tier, not a target"),
         ("2.故障处理：30 分钟内给予电话响应", None, "first block of the cell (服务保障要求 printed twice); "
                                                 "the same 30-minute response as the urgent tier of the second block")],
    91: [("2 小时内给予问题解决方案", 17955, "a plan to hand in, not a fault clock the platform measures"),
         ("4 小时内给予问题解决方案", 17971, "a plan to hand in, not a fault clock the platform measures")],
    92: [("1 小时内无法解决", 18199, "the condition that opens the on-site tier, not a target")],
    31: [("节假日无需 8 小时到现场处理", None, "a holiday relaxation; the row states no on-site target otherwise")],
    37: [("应在 1 小时内通知使用人", None, "notice of a device fault to the user, not a fault clock")],
    58: [("需要 24 小时响应", None, "24-hour availability of the response (7*24 小时服务), not a 24-hour limit")],
    85: [("乙方在 2 小时内通过 QQ 等远程桌面协助", 16910, "a remote-desktop step before escalation, no clock of its own")],
    87: [("2小时内不能排除应立即提供相应主机", 17304, "the condition for a replacement host, not a target")],
    113: [("及时（1小时内）进行查询", None, "data query service, not a fault clock")],
    125: [("2 小时内确定故障原因", 22755, "diagnosis within 2 hours: no clock of its own (response/arrival/repair)")],
    130: [("每月第一个工作日", 23457, "monthly report date, not a fault clock"),
          ("网络掉线不超过24小时", None, "a KPI threshold for camera outages, not a fault clock")],
    143: [("每月第一个工作日", 25762, "monthly report date, not a fault clock"),
          ("网络掉线不超过24小时", None, "a KPI threshold for camera outages, not a fault clock")],
}




def sla_exception_flags(rec):
    """The flags of the time phrases of one row's SLA text that are not targets."""
    text = _nows(rec["sla_text"])
    flags, seen = [], set()
    for rx, reason in SLA_PHRASE_CLASSES:
        for m in re.finditer(rx, text):
            if m.group(0) not in seen:
                seen.add(m.group(0))
                flags.append({"field": "sla", "note": reason, "phrase": m.group(0)})
    for phrase, line, reason in SLA_ROW_EXCEPTIONS.get(rec["row"], []):
        phrase = _nows(phrase)
        if phrase not in text:
            raise SystemExit(f"row {rec['row']}: exception phrase {phrase!r} not in the SLA text")
        flag = {"field": "sla", "note": reason, "phrase": phrase}
        if line:
            flag["line"] = line
        flags.append(flag)
    return flags


# category by judgement (the table has no category column)
_CAT = {
    "公共安全": [12, 14, 15, 16, 17, 18, 19, 21, 22, 23, 24, 25, 26, 27, 28, 30, 31, 63, 64, 87, 92, 118,
             129, 130, 132, 138, 139, 142, 143, 145, 147, 149],
    "非现场执法": [29, 73],
    "物联网感知": [50, 56, 66, 67, 69, 96, 98, 117],
    "桌面及会议保障": [8, 13, 65, 124],
    "政务及安全": [6, 7, 9, 10, 11, 20, 49, 51, 94, 95, 105, 111, 112, 119],
    "教育教务": [85, 86, 88, 89, 90, 91, 93, 101],
    "城市管理": [1, 32, 33, 34, 36, 37, 52, 81, 82, 83, 128, 131, 134, 135, 137, 146, 151, 152],
}
CATEGORY: dict[int, str] = {k: "政务办公信息化" for k in range(1, 155)}
for _c, _rows in _CAT.items():
    for _k in _rows:
        CATEGORY[_k] = _c
CATEGORY_FLAGS = {
    56: "indoor navigation for the 政务服务中心 built on beacons; classed 物联网感知, could be 政务办公信息化",
    111: "人脸识别门禁/餐厅刷卡 in the 行政、政务中心; classed 政务及安全",
    138: "平安建设指挥场所日常办公设备 (cameras, access control, meeting system); classed 公共安全, could be 桌面及会议保障",
    84: "公共资源交易平台 with many desk/meeting devices; classed 政务办公信息化",
    37: "垃圾分类 registration with GPS/RFID/weighing devices; classed 城市管理, could be 物联网感知",
}


def apply_corrections(data):
    for rec in data["systems"]:
        k = rec["row"]
        if k in CATEGORY:
            rec["category"] = CATEGORY[k]
        if k in CATEGORY_FLAGS:
            rec["flags"].append({"field": "category", "note": CATEGORY_FLAGS[k]})
        for key, val in CORRECTIONS.get(k, {}).items():
            if key == "flags+":
                rec["flags"].extend(val)
            elif key == "sla+":
                rec["sla"] = rec["sla"] + [dict(t) for t in val]
            elif key == "tier_edits":
                for tier in rec["sla"]:
                    tier.update(val.get(tier["tier"], {}))
            elif key == "edits":
                for field, old, new in val:
                    rec[field] = rec[field].replace(old, new)
            elif key == "append":
                for field, extra in val:
                    rec[field] = rec[field] + extra
            else:
                rec[key] = val
        for tier in rec["sla"]:
            tier.setdefault("severity", tier["tier"] if tier["tier"] in SEVERITY_KEYS else "other")
            tier.setdefault("applies_when", "always")
            tier.setdefault("repair_from_arrival", False)
        rec["flags"].extend(sla_exception_flags(rec))
        rec["flags"].extend(cadence_exception_flags(rec))
        touched = {f for key in ("edits", "append") for f, *_ in CORRECTIONS.get(k, {}).get(key, [])}
        if k in CORRECTIONS and ("hardware" in CORRECTIONS[k] or "hardware" in touched) \
                and "devices" not in CORRECTIONS[k]:
            rec["devices"] = parse_devices(rec["hardware"])
    return data
