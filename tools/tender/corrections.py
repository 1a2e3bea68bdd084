"""Hand corrections of the extraction, keyed by row, each with its tender line."""
from __future__ import annotations

from .devices import DEVICE_CORRECTIONS


# --------------------------------------------------------------------------
# Hand corrections after review, keyed by row number.  Values replace the
# extracted values (a dict for "sla" tiers replaces the whole list).
def _t(v, u):
    return {"value": v, "unit": u}


def _flag(field, note):
    return [{"field": field, "note": note}]


def _tier(tier, label, text, notes=None, definition=None, **targets):
    """A hand-written tier.  Extra keys: severity (default: the tier key when it is a severity, else
    "other": chosen on the ticket by its tier key), applies_when (always / business_hours /
    outside_business_hours / major_event), repair_from_arrival."""
    t = {"tier": tier, "tier_label": label, "definition": definition, "response": None, "arrival": None,
         "repair": None, "restore": None, "text": text, "notes": notes}
    t.update(targets)
    return t


_NO_INSPECTION = _flag("inspections", "the row states no inspection (巡检) requirement")
_TIMELY = _flag("sla", "服务保障要求 sets no time limit: “根据派单情况，及时维修、根据故障比例准备备品备件”")
_RECTIFY = _flag("sla", "only time limit in the row: “若出现不达标情况，24 小时内完成整改” (KPI rectification), "
                        "stored as repair")

_NO_SEQ = [{"field": "row", "note": "序号 cell is empty in the tender text; row number assigned by position (between rows 58 and 63)"}]

CORRECTIONS: dict[int, dict] = {
    # 系统简介 and 配套硬件 share one text line: "二级等保 38 个，三级等保 14个 无 不涉及 无"
    11: {"description": "二级等保 38 个，三级等保 14个", "hardware": "无", "devices": [],
         "flags+": [{"field": "sla", "note": "等保测评 project: the row states no fault-handling targets"},
                    {"field": "inspections", "note": "等保测评 project: no inspection requirement"}],
         "mlps_text": "为本项目范围内系统（原系统运维不含等保测评服务）提供 2026 年等保测评服务，其中：二级等保 38 个，三级等保 14 个。",
         "mlps_level": None, "mlps_due_2026": True},
    # "服务于公安分局的链路 VPN 账号 无" = 系统简介 + 配套硬件
    20: {"description": "账号服务\n服务于公安分局的链路 VPN 账号", "hardware": "无",
         "edits": [("description", "账号服务\n账号服务", "账号服务")],
         "deployment_kind": "other",
         "flags+": [{"field": "deployment", "note": "部署情况 column reads “18 个账号，不涉及带宽”"}]
         + _NO_INSPECTION},
    # row 36: targets per asset class
    36: {"sla_form": "asset_class", "sla": [
        {"tier": "front_end", "tier_label": "前端设备", "definition": None, "response": _t(12, "hour"), "arrival": None,
         "repair": _t(12, "hour"), "restore": None, "text": "前端设备：12 小时内修复（含响应时间）",
         "notes": "含响应时间: the response falls inside the repair time counted from the report; all repairs confirmed by 甲方"},
        {"tier": "back_end", "tier_label": "后端设备", "definition": None, "response": _t(4, "hour"), "arrival": None,
         "repair": _t(4, "hour"), "restore": None, "text": "后端设备：4 小时内修复（含响应时间）",
         "notes": "含响应时间: the response falls inside the repair time counted from the report; all repairs confirmed by 甲方"},
        {"tier": "major_accident", "tier_label": "重大事故", "definition": "硬件损坏不能正常工作", "response": _t(24, "hour"),
         "arrival": None, "repair": _t(24, "hour"), "restore": None,
         "text": "重大事故（硬件损坏不能正常工作）：24 小时内修复（含响应时间）",
         "notes": "含响应时间: the response falls inside the repair time counted from the report"}]},
    59: {"flags+": _NO_SEQ, "deployment_kind": "terminal"},
    60: {"flags+": _NO_SEQ},
    61: {"flags+": _NO_SEQ},
    62: {"flags+": _NO_SEQ},
    86: {"flags+": [{"field": "hardware", "note": "配套硬件 reads “0（与预算管理系统共用 2 台服务器）”"},
                    {"field": "sla", "note": "only response targets, per service channel (在线/热线 即时, 远程 2 个工作小时, "
                                            "送修 1 个工作小时, 现场 30 公里内 24 小时 / 以外 48 小时); no repair target. "
                                            "Stored: one tier per channel (远程 = general; the others chosen on the ticket)"}]},
    # 部署情况 and 驻场人员要求 of row 87 run into each other
    87: {"deployment": "服务器和总接警平台在声讯公司\n（厂商SAAS）",
         "onsite_staff": "技术维护1人，\n值机中心不少于 3人，属地运维不少于 6人。",
         "onsite_staff_count": None,
         "flags+": [{"field": "onsite_staff_count",
                     "note": "驻场人员要求：技术维护1人，值机中心不少于 3人，属地运维不少于 6人（no single number）"}]},
    # description's last line "30 天。" landed in hardware
    132: {"edits": [("hardware", "30 天。\n", ""), ("description", "不低于", "不低于")],
          "append": [("description", "30 天。")]},
    29: {"deployment_kind": "mixed"},
    37: {"deployment_kind": "public_cloud"},
    49: {"deployment_kind": "special_network"},
    58: {"deployment_kind": "terminal"},
    84: {"deployment_kind": "unit_room"},
    100: {"deployment_kind": "unit_room"},
    104: {"deployment_kind": "unit_room"},
    108: {"deployment_kind": "other"},
    110: {"deployment_kind": "saas"},
    112: {"deployment_kind": "special_network"},
    113: {"deployment_kind": "district_idc"},
    114: {"deployment_kind": "unit_room"},
    115: {"deployment_kind": "public_cloud"},
    124: {"deployment_kind": "special_network"},
    125: {"deployment_kind": "terminal"},
    130: {"deployment_kind": "public_cloud"},
    131: {"deployment_kind": "public_cloud"},
    137: {"deployment_kind": "mixed"},
    146: {"deployment_kind": "public_cloud"},
}

# the device-column corrections live with parse_devices (DEVICE_CORRECTIONS) and apply as edits
for _row, _edits in DEVICE_CORRECTIONS.items():
    CORRECTIONS.setdefault(_row, {}).setdefault("edits", []).extend(_edits)

# Second review (rows with unparsed SLA / inspections): merged into CORRECTIONS;
# list-valued keys ("flags+", "edits", "append") are concatenated.
_REVIEW: dict[int, dict] = {
    # lines 2860-2868: "运维团队可在 10分钟内响应，30 分钟提交故障处理方案。系统崩溃导致业务停止故障解决
    # 时间不超过 1 小时，应用服务器故障、应用服务器磁盘损坏导致不" (the sentence breaks off in the tender)
    # row 2: see _ISSUE8 (lines 2838-2868)
    # lines 3630-3636: 网络安全设备：一般事件：1-72 小时内 / 严重事件：1-36 小时内 / 紧急事件：1-24 小时内
    6: {"sla_form": "severity_tiers",
        "sla": [_tier(k, f"{lbl}事件", f"{lbl}事件：1-{h} 小时内", repair=_t(h, "hour"),
                      notes="网络安全设备 only; the tender names no action (响应/修复) — upper bound stored as repair")
                for k, lbl, h in (("general", "一般", 72), ("serious", "严重", 36), ("urgent", "紧急", 24))],
        "flags+": _flag("sla", "网络安全设备：“一般事件：1-72 小时内；严重事件：1-36 小时内；紧急事件：1-24 小时内” — "
                               "range without a named action (stored as repair upper bound); "
                               "VPN/网络设备/精密空调 have no time limits")},
    # lines 4282-4286: the 服务保障要求 cell ("全年 7*24 小时响应 / 驻场人员：7*8") and the tail of
    # 配套硬件 ("频会议软件终端 / 200 套") were read into the work content
    8: {"edits": [("work_content", "原厂提全年 7*24 小时响应\n驻场人员：7*8\n频会议软件终端\n200 套\n供维修",
                   "原厂提供维修")],
        "append": [("hardware", "频会议软件终端 200 套")],
        "sla_text": "全年 7*24 小时响应\n驻场人员：7*8",
        "flags+": _flag("sla", "服务保障要求 reads only “全年 7*24 小时响应；驻场人员：7*8” — availability, "
                               "no response/repair time limit")},
    124: {"flags+": _NO_INSPECTION + _flag("sla", "“工作时间 2 小时响应，1-3 天解决” — repair stored as the "
                                                  "upper bound (3 days)")},
    129: {"flags+": _RECTIFY},
    130: {"flags+": _RECTIFY},
    132: {"flags+": _RECTIFY},
    145: {"flags+": _RECTIFY},
    139: {"flags+": _TIMELY},
    142: {"flags+": _TIMELY},
    147: {"flags+": _TIMELY},
    149: {"flags+": _TIMELY},
    4: {"flags+": _NO_INSPECTION},
    95: {"flags+": _NO_INSPECTION},
    107: {"flags+": _NO_INSPECTION},
    110: {"flags+": _NO_INSPECTION},
    123: {"flags+": _NO_INSPECTION},
    32: {"flags+": _flag("inspections", "“项目巡检工作，包含：软件巡检…硬件巡检…” — no frequency stated "
                                        "(“每 15 分钟巡查一遍” concerns the parking attendants)")},
    88: {"flags+": _flag("inspections", "“提供日常基础安全巡检服务” — no frequency stated")},
    91: {"flags+": _flag("inspections", "“早检：登录后台看服务状态、磁盘、日志报错、数据库连接数” — "
                                        "no frequency stated")},
    151: {"flags+": _flag("inspections", "软件巡检/硬件巡检 listed without a frequency (“巡检工作特殊要求：提供巡检单”)")},
}
# Third review (issue 8: every numeric target of the tender).  Each entry names its tender lines.
# "sla+" appends tiers to the parsed ones; "tier_edits" changes fields of a parsed tier.
_M, _H, _D, _WD = "minute", "hour", "day", "working_day"
_ISSUE8: dict[int, dict] = {
    # lines 2838-2868: business hours "即刻响应" (no number); out of hours "如需远程处理问题可在 30 分钟内响应";
    # 应急服务 (突发事件/重大安全故障): "10分钟内响应，30 分钟提交故障处理方案…系统崩溃导致业务停止故障解决时间不超过 1 小时"
    2: {"sla_form": "other", "sla": [
        _tier("urgent", "应急服务", "运维团队可在 10分钟内响应，30 分钟提交故障处理方案。系统崩溃导致业务停止故障解决时间不超过 1 小时",
              notes="应急服务 (系统突发事件、重大安全故障); 1 h is for 系统崩溃导致业务停止; 30 分钟提交故障处理方案 is "
                    "a plan, not a clock; the following clause (应用服务器故障…导致不) breaks off in the tender",
              response=_t(10, _M), repair=_t(1, _H)),
        _tier("general_after_hours", "非工作时段", "非工作时段提供即刻响应的技术咨询支持,如需远程处理问题可在 30 分钟内响应用户要求",
              notes="工作时段: 即刻响应 (no number) — the tender sets no numeric target in business hours",
              severity="general", applies_when="outside_business_hours", response=_t(30, _M)),
        _tier("general", "工作时段", "工作时段提供即刻响应的技术支持服务",
              notes="即刻响应: the tender sets no numeric target in business hours", applies_when="business_hours")]},
    # lines 3402-3425: 特殊要求：一级（致命故障）：响应≤15 分钟；解决≤2 小时（核心业务恢复）
    5: {"sla+": [_tier("fatal", "一级（致命故障）", "一级（致命故障）：响应≤15 分钟 ；解决≤2 小时（核心业务恢复）",
                       notes="stricter than 紧急故障; chosen on the ticket (tier 致命故障)",
                       response=_t(15, _M), repair=_t(2, _H))]},
    # line 5476: （5）重大活动/节假日保障：30 分钟内响应，2 小时内定位并解决问题 — the row's own major-event targets
    16: {"sla+": [_tier("major_event", "重大活动/节假日保障", "（5）重大活动/节假日保障：30 分钟内响应，2 小时内定位并解决问题；"
                        "设备故障损坏时，24 小时内使用备品备件进行替换",
                        notes="system-specific override inside every major-event period (重保期) that covers the system",
                        applies_when="major_event", response=_t(30, _M), repair=_t(2, _H))]},
    # lines 6345-6362: 紧急故障 "立即响应，分局机关 20分钟内、城区周边 30 分钟内、城区外边远地区 1 小时内到达现场，1小时内修复"
    22: {"tier_edits": {"urgent": {"notes": "立即响应 (no number); arrival by location — 分局机关 20 分钟 / 城区周边 30 分钟 "
                                            "are tiers of their own; this tier holds 城区外边远地区 1 小时",
                                   "tier_label": "紧急故障（城区外边远地区）"}},
         "sla+": [_tier(f"urgent_{key}", f"紧急故障（{place}）", f"立即响应，…{place} {n}分钟内…到达现场，1小时内修复",
                        notes="arrival by location; chosen on the ticket", arrival=_t(n, _M), repair=_t(1, _H))
                  for key, place, n in (("hq", "分局机关", 20), ("suburb", "城区周边", 30))]},
    # lines 7433-7586: (1) 前端监控设施损坏 8 小时内修复；(4) 废弃线杆、废旧线路 8 小时内清除；
    # (5) 破损需拆移重建的监控杆 45 天内补装完毕，60 天内达到执法要求
    29: {"sla_form": "asset_class", "sla": [
        _tier("front_end", "前端监控设施", "前端监控设施损坏 8 小时内修复", repair=_t(8, _H)),
        _tier("waste_lines", "废弃线杆、废旧线路", "废弃线杆、废旧线路 8 小时内清除", repair=_t(8, _H),
              notes="清除 (removal) counted as repair"),
        _tier("pole_rebuild", "需拆移重建的监控杆", "破损需拆移重建的监控杆 45 天内补装完毕，60 天内达到执法要求",
              repair=_t(45, _D), restore=_t(60, _D),
              notes="补装完毕 = repair (45 天); 达到执法要求 = restore (60 天)")]},
    # lines 10368-10386 (in 运维工作内容 2.技术支持): 出现故障时在 1小时内进行实质性响应…4 小时内到达用户现场…
    # 一般故障应在 1 工作日内解决问题。重大故障（服务中断）应在 2 小时内到达现场，并在 8 小时内解决问题
    47: {"sla+": [
        _tier("health_general", "技术支持·一般故障", "出现故障时在 1小时内进行实质性响应，针对电话、远程技术支持不能解决的系统软件故障，"
              "需在 4 小时内到达用户现场解决问题。对于各社区卫生服务中心，一般故障应在 1 工作日内解决问题",
              notes="second (health-style) block of the row, in 运维工作内容 2.技术支持; for 社区卫生服务中心",
              response=_t(1, _H), arrival=_t(4, _H), repair=_t(1, _WD)),
        _tier("health_major", "技术支持·重大故障（服务中断）", "重大故障（服务中断）应在 2 小时内到达现场，并在 8 小时内解决问题，"
              "或提供替代方案恢复系统运行", definition="服务中断",
              notes="second (health-style) block of the row, in 运维工作内容 2.技术支持",
              response=_t(1, _H), arrival=_t(2, _H), repair=_t(8, _H))]},
    # lines 16905-16960: (1) 警告 24 小时内恢复 (2) 部分损害 12 小时内恢复 (3) 严重故障 2 小时内恢复;
    # remote desktop within 2 h, engineer on site within 48 h
    85: {"sla_form": "severity_tiers", "sla": [
        _tier("minor", "系统出现警告，不影响运行", "7*24 小时电话或网络通讯咨询并且24 小时内恢复正常使用…乙方应在48 小时内安排工程师到达用户现场",
              restore=_t(24, _H),
              notes="远程桌面协助 2 小时内; 工程师 48 小时内到达用户现场 (复杂问题)", arrival=_t(48, _H)),
        _tier("general", "系统出现部分损害，但系统正常运行", "7*24 小时电话或网络通讯咨询，并且 12 小时内恢复正常使…乙方应在48 小时内安排工程师到达用户现场",
              restore=_t(12, _H), arrival=_t(48, _H), notes="工程师 48 小时内到达用户现场 (复杂问题)"),
        _tier("serious", "系统出现严重故障，系统无法正常使用", "7*24 小时线上或线下咨询，并且 2 小时内恢复正常使用",
              restore=_t(2, _H), notes="serious = the tender's most severe class")]},
    # lines 17076-17096: response per service channel
    86: {"sla": [
        _tier("general", "远程服务", "(3)远程服务 5*8 小时提供服务，2个工作小时内响应", response=_t(2, "working_hour"),
              notes="2 个工作小时; 在线/热线 即时响应 (no number)"),
        _tier("repair_shop", "送修服务", "(4)送修服务 5*8 小时提供服务，1个工作小时内响应", response=_t(1, "working_hour")),
        _tier("onsite_near", "现场服务（30公里以内）", "(5)现场服务 5*8 小时提供服务，30公里以内 24 小时内响应",
              response=_t(24, _H)),
        _tier("onsite_far", "现场服务（30公里以外）", "30公里以外 48 个小时内响应", response=_t(48, _H))]},
    # line 17304: 设备故障后 2 小时内到现场维修并于 8 小时内排除故障
    87: {"sla+": [_tier("device_fault", "设备故障（现场维修）", "设备故障后 2 小时内到现场维修并于 8 小时内排除故障",
                        arrival=_t(2, _H), repair=_t(8, _H), notes="chosen on the ticket for a device fault")]},
    # lines 17474-17500: 工作日期间 响应≤2 小时；非工作期间 响应≤2 天；48 小时内解决故障；重大系统问题 12 小时内解决
    88: {"sla_form": "other", "sla": [
        _tier("general", "工作日期间", "工作日期间…响应时间不得多于2 小时…48 小时内解决故障",
              applies_when="business_hours", response=_t(2, _H), repair=_t(48, _H),
              notes="4 小时内给出解决方案 is a plan, not a clock"),
        _tier("general_after_hours", "非工作期间", "非工作期间，响应时间不得多于2 天…48 小时内解决故障", severity="general",
              applies_when="outside_business_hours", response=_t(2, _D), repair=_t(48, _H)),
        _tier("serious", "重大系统问题", "重大系统问题，在 12 小时内解决", repair=_t(12, _H),
              notes="紧急情况下，立即响应 (no number)")]},
    # lines 17662-17678: 1 小时内无法解决时 … 24个小时内到现场支持，72 小时内解决问题
    89: {"sla+": [_tier("onsite_support", "现场支持", "使用上述响应方式 1 小时内无法解决时，乙方技术人员在收到用户通知…"
                        "后 24个小时内到现场支持，72 小时内解决问题", arrival=_t(24, _H), repair=_t(72, _H),
                        notes="when remote handling fails within 1 hour; chosen on the ticket")]},
    # lines 17740-17752: 如 1 小时内无法解决，24 小时内现场技术支持，72 小时内解决问题
    90: {"sla+": [_tier("onsite_support", "现场技术支持", "如 1 小时内无法解决，24 小时内现场技术支持，72 小时内解决问题",
                        arrival=_t(24, _H), repair=_t(72, _H),
                        notes="when remote handling fails within 1 hour; chosen on the ticket")]},
    # lines 17947-18030: 重要时期 / 一般时期 / 远程不能解决
    91: {"sla_form": "other", "sla": [
        _tier("general", "一般时期", "在一般时期…2 小时内给予问题性质的答复、4 小时内给予问题解决方案、8小时内给予问题解决",
              response=_t(2, _H), repair=_t(8, _H), notes="4 小时内给予问题解决方案 is a plan, not a clock"),
        _tier("major_event", "重要时期", "在重要时期…1 小时内给予问题性质的答复、2 小时内给予问题解决方案；立即派工程师到现场，"
              "4 小时解决问题", applies_when="major_event", response=_t(1, _H), repair=_t(4, _H),
              notes="system-specific override inside every major-event period; 2 小时内给予问题解决方案 is a plan"),
        _tier("onsite_support", "远程不能解决的故障", "技术人员在用户故障申报后,3小时内做出反应，并提供解决方案。若不能排除故障，"
              "派人在 6 小时内赶赴现场解决", response=_t(3, _H), arrival=_t(6, _H), notes="chosen on the ticket")]},
    # lines 18195-18203: (2)如 1 小时内无法解决，24小时内现场技术支持，72 小时内解决问题
    92: {"sla+": [_tier("onsite_support", "现场技术支持", "如 1 小时内无法解决，24小时内现场技术支持，72 小时内解决问题",
                        arrival=_t(24, _H), repair=_t(72, _H),
                        notes="when remote handling fails within 1 hour; chosen on the ticket")]},
    # lines 6436-6443: 重大活动期间…提供全天候驻场值守保障，半小时内恢复突发故障
    22.5: None,
    # lines 10918-10950: 故障 1 小时内响应，2 小时内抵达…现场，8 小时内解决 (parsed); 节假日/重大活动 应急情况 4 小时内到场 (flagged)
    # lines 11796-11830: 15分钟内响应 … 1小时内派专业工程师赶赴现场 … 1 小时内排除普通故障，2 小时内排除较大故障，
    # 4 小时内排除重大故障，24 小时内排除特大故障; 非工作日 1 小时内赶赴现场并排除普通故障
    56: {"sla_form": "severity_tiers", "sla": [
        _tier(key, f"{label}故障", f"15分钟内响应…1小时内派专业工程师赶赴现场进行故障诊断及处理…{n} 小时内排除{label}故障"
              + ("…维护团队现场人员将在 1 小时内赶赴现场并排除系统普通故障" if key == "minor" else "")
              + ("…特大故障将在 24 小时内处理完毕" if key == "urgent" else ""),
              response=_t(15, _M), arrival=_t(1, _H), repair=_t(n, _H),
              notes=f"the tender's classes 普通/较大/重大/特大 mapped to 轻微/一般/严重/紧急 ({label}故障)")
        for key, label, n in (("minor", "普通", 1), ("general", "较大", 2), ("serious", "重大", 4), ("urgent", "特大", 24))]},
    # lines 12271-12400: ①10 分钟内响应…2小时内派遣运维工程师到现场服务，8 小时内处理完毕；②如需更换设备，须在 24 小时内备件更换到位
    59: {"sla": [
        _tier("general", "自助服务终端故障", "自助服务终端出现故障时，10 分钟内响应，不能远程解决问题的，2小时内派遣运维工程师到现场服务，"
              "8 小时内处理完毕", response=_t(10, _M), arrival=_t(2, _H), repair=_t(8, _H),
              notes="no severity tiers: one target for every fault"),
        _tier("device_replacement", "更换设备", "如需更换设备，须在 24 小时内备件更换到位", repair=_t(24, _H),
              notes="chosen on the ticket when a device must be replaced")]},
    # lines 13800-13840: (1) 平台/app 30 分钟内响应，2 小时内修复；(2) 35 套监控视频设备 如发生故障 4 小时内修复
    67: {"sla_form": "asset_class", "sla": [
        _tier("platform", "河（湖）长制平台、app 巡河系统", "系统、app 巡河系统发生故障时 30 分钟内响应，2 小时内修复",
              severity="general", response=_t(30, _M), repair=_t(2, _H)),
        _tier("video_devices", "监控视频设备（35 套）", "如发生故障 4 小时内修复", repair=_t(4, _H))]},
    # lines 22910-22950: 一级（普通）…10分钟内响应；6 小时内恢复 / 二级（较严重）10 分钟响应，5 小时内恢复 /
    # 三级（严重）10 分钟响应；4 小时内恢复 / 四级（紧急）立即响应；4 小时内恢复
    126: {"sla_form": "severity_tiers", "sla": [
        _tier(key, f"{level}故障", text, definition=definition, response=_t(10, _M) if key != "urgent" else None,
              restore=_t(n, _H), notes="一级…四级 mapped to 轻微/一般/严重/紧急" + ("; 立即响应 (no number)" if key == "urgent" else ""))
        for key, level, definition, text, n in (
            ("minor", "一级", "普通问题", "工程师 10分钟内响应；故障应在 6 小时内恢复正常", 6),
            ("general", "二级", "较严重问题", "工程师 10 分钟响应，故障应在 5 小时内恢复正常", 5),
            ("serious", "三级", "严重问题", "工程师 10 分钟响应；故障应在 4 小时内恢复正常", 4),
            ("urgent", "四级", "紧急问题", "工程师立即响应；业务应在 4 小时内恢复正常", 4))]},
    # line 5476 (row 16, tiers 3-5): 设备故障损坏时，24 小时内使用备品备件进行替换
    # lines 10660-10668: 5.按分级预案处理故障，一般故障 0.5 小时内解决，重大故障加急处置 (no number)
    49: {"sla_form": "severity_tiers", "sla": [
        _tier("general", "一般故障", "一般故障0.5 小时内解决", repair=_t(0.5, _H)),
        _tier("serious", "重大故障", "重大故障加急处置并实时反馈进展",
              notes="加急处置 — the tender sets no numeric target for 重大故障")]},
    # line 11990: 乙方于甲方提出请求后4 小时内提供现场(上门)技术支持服务
    57: {"sla+": [_tier("onsite_request", "现场（上门）技术支持", "乙方于甲方提出请求后4 小时内提供现场(上门)技术支持服务",
                        arrival=_t(4, _H), notes="on 甲方's request; chosen on the ticket")]},
    # lines 13480-13484 / 14030: 现场服务响应时间：2 小时
    66: {"sla+": [_tier("onsite_service", "现场服务", "现场服务响应时间：2 小时", arrival=_t(2, _H),
                        notes="on-site service: arrival within 2 hours; chosen on the ticket")]},
    69: {"sla+": [_tier("onsite_service", "现场服务", "现场服务响应时间：2 小时", arrival=_t(2, _H),
                        notes="on-site service: arrival within 2 hours; chosen on the ticket")]},
    # line 15680: 上门服务，4 小时内响应，5 个工作日内完成
    78: {"sla+": [_tier("onsite_service", "上门服务", "上门服务，4 小时内响应，5 个工作日内完成", response=_t(4, _H),
                        repair=_t(5, _WD), notes="on-site (上门) service; chosen on the ticket")]},
}
_ISSUE8[16]["sla+"].append(
    _tier("device_replacement", "设备故障损坏（备件替换）", "设备故障损坏时，24 小时内使用备品备件进行替换", repair=_t(24, _H),
          notes="a damaged device is replaced from spares within 24 hours; chosen on the ticket"))
_ISSUE8[22]["sla+"].append(
    _tier("major_event", "重大活动期间", "国家法定节假日、安保勤务等重大活动期间，根据要求提供全天候驻场值守保障，半小时内恢复突发故障",
          applies_when="major_event", restore=_t(0.5, _H),
          notes="system-specific override inside every major-event period that covers the system"))
del _ISSUE8[22.5]
for _k, _v in _ISSUE8.items():
    _c = CORRECTIONS.setdefault(_k, {})
    for _key, _new in _v.items():
        _c[_key] = _new

for _k, _v in _REVIEW.items():
    _c = CORRECTIONS.setdefault(_k, {})
    for _key, _new in _v.items():
        _c[_key] = _c.get(_key, []) + _new if _key in ("flags+", "edits", "append") else _new
