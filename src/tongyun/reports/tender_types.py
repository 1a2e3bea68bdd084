"""The report types the tender asks for (requirements.md §6, RD-01 … RD-17), with their source lines.

Deadlines in the tender's words (tongyun.domain.report_periods): "每月第一周" → the 7th of the next month;
"季度报告在每季度最后一个月的 30 日前" → the 30th of the quarter's last month; "年度报告在每年运维期结束后第一个月的
30 日前" → the 30th of the month after; "每季度月底前" → the quarter's last day; where the tender gives none
("none") the report is never late. The monthly inspection report of every system (RD-10, RD-12, RD-14's
monthly inspection report) is `inspections.monthly`: its sections are registered by the inspections app.
Daily and weekly reports (RD-15, rows 74 and 82) are in their own block below, `DAILY_WEEKLY`.
"""

from django.utils.translation import gettext_lazy as _

from tongyun.signoffs.choices import Party

from .choices import Cadence, Level
from .types import Document, ReportType

MONTHLY_OM = ("incidents.summary", "inspections.summary", "availability.summary", "catalog.changes", "spares.usage",
              "staffing.summary", "security.summary", "incidents.open_risks")
PERIOD_SUMMARY = ("inspections.summary", "incidents.summary", "availability.summary", "incidents.open_risks")
FIRST_WEEK = ("next_month_day", 7)
ROW_13_QUARTER = ("last_month_day", 30)
MONTH_AFTER_30 = ("next_month_day", 30)
NONE = ("none", 0)
INSPECTION_MONTHLY = ("inspections.month_tasks", "inspections.month_findings", "inspections.month_incidents",
                      "incidents.summary")

TERM_PACKAGE_DOCUMENTS = (
    Document(_("系统运行报告"), ("availability.summary", "incidents.summary", "catalog.changes")),
    Document(_("设备巡检报告"), ("inspections.summary",)),
    Document(_("维保工作报告"), ("incidents.summary", "spares.usage", "staffing.summary", "security.summary",
                                     "incidents.open_risks")),
    Document(_("备品备件库存清单"), ("spares.stock_list",)),
)

TYPES = [
    ReportType("inspections.monthly", _("月度巡检报告"), Level.SYSTEM, Cadence.MONTHLY, FIRST_WEEK,
               _("RD-10 行 2 每月第一周提交上月巡检汇总，报请签署确认（L2884–L2892）；RD-12 行 14 月度巡检报告"
                 "（L5083）；RD-14 行 62 月度巡检报告（L12838）；用户单位签字确认"),
               sections=INSPECTION_MONTHLY, narratives=(_("巡检总结"), _("遗留风险"), _("改进建议"))),
    ReportType("om_monthly_system", _("系统运维月报"), Level.SYSTEM, Cadence.MONTHLY, FIRST_WEEK,
               _("RD-17 行 56 运维月报（L11752–L11754）；RD-14 《运维月报》（L12999–L13005）；RD-16 单位签字确认；"
                 "期限按 RD-10 每月第一周"), sections=MONTHLY_OM, narratives=(_("本月工作小结"),)),
    ReportType("om_monthly_unit", _("单位运维月报"), Level.UNIT, Cadence.MONTHLY, FIRST_WEEK,
               _("RD-06 按用户单位要求提交服务报告（L28379–L28381）；RD-16"), sections=MONTHLY_OM,
               narratives=(_("本月工作小结"),)),
    ReportType("project_quarterly", _("项目季度运维报告"), Level.DISTRICT, Cadence.QUARTERLY, ROW_13_QUARTER,
               _("RD-06 阶段性考核报告（L28485–L28487）；期限同 RD-11"),
               sections=(*PERIOD_SUMMARY, "contracts.evaluation"),
               narratives=(_("季度工作总结"),), signers=(Party.SUPERVISOR, Party.BUREAU)),
    ReportType("project_annual", _("项目年度运维报告"), Level.DISTRICT, Cadence.ANNUAL, MONTH_AFTER_30,
               _("RD-06 年度考核报告（L28485–L28487）；期限同 RD-11"),
               sections=(*PERIOD_SUMMARY, "contracts.evaluation"),
               narratives=(_("年度工作总结"),), signers=(Party.SUPERVISOR, Party.BUREAU)),
    ReportType("row13_quarterly", _("季度报告（巡检、故障、隐患分析）"), Level.SYSTEM, Cadence.QUARTERLY,
               ROW_13_QUARTER,
               _("RD-11 行 13：季度报告在每季度最后一个月的 30 日前提交（L4933–L4935）"),
               sections=PERIOD_SUMMARY,
               narratives=(_("隐患分析"),), rows=(13,)),
    ReportType("row13_annual", _("年度报告（年终总结）"), Level.SYSTEM, Cadence.ANNUAL, MONTH_AFTER_30,
               _("RD-11 行 13：年度报告在每年运维期结束后第一个月的 30 日前提交（L4933–L4935）"),
               sections=PERIOD_SUMMARY,
               narratives=(_("隐患分析"), _("年终总结")), rows=(13,)),
    ReportType("row14_annual", _("年终总结及下年度建议"), Level.SYSTEM, Cadence.ANNUAL, NONE,
               _("RD-12 行 14：年终总结并提出下一年建议（L5083；未给期限）"), sections=PERIOD_SUMMARY,
               narratives=(_("年终总结"), _("下一年度建议")), rows=(14,)),
    ReportType("row18_quarterly", _("季度服务总结（问题及整改计划）"), Level.SYSTEM, Cadence.QUARTERLY,
               ("period_end", 0),
               _("RD-13 行 18：每季度月底前提交季度服务总结（L5746）"), sections=PERIOD_SUMMARY,
               narratives=(_("存在问题"), _("整改计划")), rows=(18,)),
    ReportType("quarterly_system", _("运维季度报告"), Level.SYSTEM, Cadence.QUARTERLY, NONE,
               _("RD-15 行 74（L15038–L15040）、行 116《运维季度报告》（L21374）；未给期限"), sections=PERIOD_SUMMARY,
               narratives=(_("季度工作总结"),), rows=(74, 116)),
    ReportType("annual_system", _("年度运维服务报告"), Level.SYSTEM, Cadence.ANNUAL, NONE,
               _("RD-15 行 74、82（L16248）、116（L21374）、83 运维报告（L16447）；RD-17 行 132 年度考核总结"
                 "（L23888–L23890）；未给期限"), sections=(*PERIOD_SUMMARY, "catalog.changes"),
               narratives=(_("年度工作总结"),), rows=(74, 82, 83, 116, 132)),
    ReportType("row62_end_of_service", _("服务期满交付资料（行 62）"), Level.SYSTEM, Cadence.TERM, ("period_end", 0),
               _("RD-14 行 62：《巡检报告》《报修及维修记录》《运维月报》《资产清单》《运维工作总结》"
                 "（L12999–L13005）"),
               documents=(Document(_("巡检报告"), ("inspections.summary",)),
                          Document(_("报修及维修记录"), ("incidents.summary",)),
                          Document(_("运维月报"), MONTHLY_OM),
                          Document(_("资产清单"), ("catalog.changes",)),
                          Document(_("运维工作总结"), ("incidents.open_risks",))),
               narratives=(_("运维工作总结"),), rows=(62,), auto=False),
    ReportType("term_package", _("服务期末资料包"), Level.SYSTEM, Cadence.TERM, ("period_end", 0),
               _("RD-07：系统运行报告、设备巡检报告、维保工作报告、备品备件库存清单（监理确认）（L28571–L28575）"),
               documents=TERM_PACKAGE_DOCUMENTS, signers=(Party.UNIT, Party.SUPERVISOR), auto=False),
    ReportType("finance_review", _("财政结算评审资料"), Level.DISTRICT, Cadence.TERM, NONE,
               _("RD-08：区财政局结算评审资料（L28577）"),
               sections=("contracts.evaluation", "spares.usage", "availability.summary", "incidents.summary",
                         "staffing.summary"), signers=(Party.SUPERVISOR, Party.BUREAU), auto=False),
    ReportType("major_event", _("重大活动保障报告"), Level.DISTRICT, Cadence.EVENT, NONE,
               _("RD-02 重大活动前巡检结果（L27553–L27557）；RD-17 行 2 重保期间每日监测记录（L2941–L2943）；DP-07"),
               sections=("incidents.major_events", "incidents.summary", "availability.summary"),
               narratives=(_("活动前巡检结果"), _("每日监测记录")), signers=(Party.BUREAU,), auto=False),
    ReportType("service_report", _("维护服务报告（单位签字确认）"), Level.SYSTEM, Cadence.ONCE, NONE,
               _("RD-16 行 88（L17498）、91（L17959）、133（L24062）、6（L3918, L3990–L3994）：服务报告由单位签字确认"),
               sections=("incidents.summary", "inspections.summary"), narratives=(_("维护作业内容"),),
               rows=(6, 88, 91, 133), auto=False),
]

# ---------------------------------------------------------------- daily and weekly reports (RD-15)
# Row 74 "定期出具日常报告、周报告、月度报告、季度报告、年度报告" and row 82 "提供运维日报、周报、月报及年度运维
# 服务报告等用户方要求的资料": the monthly report is om_monthly_system (every system), the quarterly
# quarterly_system (74), the annual annual_system (74, 82). Neither row gives a deadline or speaks of
# working days: calendar days, no lateness (tongyun.domain.report_periods). Signed by the unit like the
# monthly report (RD-16: the user unit confirms the service reports it asked for).
DAILY_WEEKLY_ROWS = (74, 82)
DAILY_WEEKLY = [
    ReportType("daily_system", _("运维日报"), Level.SYSTEM, Cadence.DAILY, NONE,
               _("RD-15 行 74 定期出具日常报告（L15038–L15040）；行 82 运维日报（L16248–L16250）；未给期限"),
               sections=PERIOD_SUMMARY, narratives=(_("当日工作记录"),), rows=DAILY_WEEKLY_ROWS),
    ReportType("weekly_system", _("运维周报"), Level.SYSTEM, Cadence.WEEKLY, NONE,
               _("RD-15 行 74 周报告（L15038–L15040）；行 82 周报（L16248–L16250）；未给期限"),
               sections=PERIOD_SUMMARY, narratives=(_("本周工作小结"), _("下周工作计划")), rows=DAILY_WEEKLY_ROWS),
]
TYPES += DAILY_WEEKLY
