"""The district template of a management memorandum (区级模板): the rules a unit starts from and edits.

Every rule names a fact key of tongyun.core.facts; the amounts are the template's proposal, not the
tender's (the tender leaves the rules to each memorandum, L28359–L28363)."""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

D = Decimal
DISTRICT_TEMPLATE = [
    {"indicator": "incidents.response_met_pct", "label": _("故障响应及时率低于 95%"), "comparison": "lt",
     "threshold": D(95), "mode": "once", "consequence": "fee_pct", "value": D(2)},
    {"indicator": "incidents.repair_met_pct", "label": _("故障修复及时率低于 95%"), "comparison": "lt",
     "threshold": D(95), "mode": "once", "consequence": "fee_pct", "value": D(3)},
    {"indicator": "incidents.repair_breaches_general", "label": _("一般故障修复超时（每次）"), "comparison": "gt",
     "threshold": D(0), "mode": "per_unit", "consequence": "amount", "value": D(200), "cap_amount": D(2000)},
    {"indicator": "incidents.repair_breaches_serious", "label": _("严重故障修复超时（每次）"), "comparison": "gt",
     "threshold": D(0), "mode": "per_unit", "consequence": "amount", "value": D(500), "cap_amount": D(5000)},
    {"indicator": "incidents.repair_breaches_urgent", "label": _("紧急故障修复超时（每次）"), "comparison": "gt",
     "threshold": D(0), "mode": "per_unit", "consequence": "amount", "value": D(1000), "cap_amount": D(10000)},
    {"indicator": "incidents.missed_arrivals", "label": _("未按时到场（每次）"), "comparison": "gt",
     "threshold": D(0), "mode": "per_unit", "consequence": "points", "value": D(2), "cap_points": D(10)},
    {"indicator": "inspections.on_time_pct", "label": _("巡检按时完成率低于 100%"), "comparison": "lt",
     "threshold": D(100), "mode": "once", "consequence": "points", "value": D(5)},
    {"indicator": "inspections.report_on_time", "label": _("月度巡检报告未按时提交"), "comparison": "false",
     "threshold": D(0), "mode": "once", "consequence": "points", "value": D(3)},
    {"indicator": "availability.target_met", "label": _("设备在线率未达标"), "comparison": "false",
     "threshold": D(0), "mode": "once", "consequence": "fee_pct", "value": D(2)},
    {"indicator": "staffing.safety_education_held", "label": _("未开展安全教育"), "comparison": "false",
     "threshold": D(0), "mode": "once", "consequence": "points", "value": D(2)},
    {"indicator": "spares.ledger_complete", "label": _("备件台账不完整"), "comparison": "false",
     "threshold": D(0), "mode": "once", "consequence": "points", "value": D(2)},
    {"indicator": "manual", "label": _("用户满意度（人工评定）"), "comparison": "lt", "threshold": D(90),
     "mode": "once", "consequence": "points", "value": D(5)},
]
MANUAL = "manual"
