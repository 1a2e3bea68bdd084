"""What the tender sets for security tasks, contractual duties and expiring obligations, row by row,
with its lines (requirements §4 MS-07 and §8 OT-06 … OT-08). The schedule is an RFC 5545 RRULE read by
tongyun.domain.schedules; "every two years" has no named frequency and is written out."""

from dataclasses import dataclass

from .choices import DutyCategory, ExpiringItemKind


@dataclass(frozen=True)
class TenderDuty:
    row: int
    key: str
    category: str
    name: str
    cadence: str
    rrule: str
    lines: str
    text: str


S, C = DutyCategory.SECURITY, DutyCategory.CONTRACT
YEARLY = "FREQ=YEARLY;BYMONTH=1;BYMONTHDAY=1"
TWICE_A_YEAR = "FREQ=MONTHLY;BYMONTH=1,7;BYMONTHDAY=1"
QUARTERLY = "FREQ=MONTHLY;BYMONTH=1,4,7,10;BYMONTHDAY=1"
MONTHLY = "FREQ=MONTHLY;BYMONTHDAY=1"
TWICE_A_MONTH = "FREQ=MONTHLY;BYMONTHDAY=1,16"
EVERY_TWO_MONTHS = "FREQ=MONTHLY;INTERVAL=2;BYMONTHDAY=1"
EVERY_TWO_YEARS = "FREQ=YEARLY;INTERVAL=2;BYMONTH=1;BYMONTHDAY=1"

DUTIES: list[TenderDuty] = [
    TenderDuty(126, "vulnerability-scan", S, "漏洞扫描", "1 次/年", YEARLY, "L22866", "漏洞扫描，1 次/年"),
    TenderDuty(126, "configuration-check", S, "安全配置人工核查", "2 次/年", TWICE_A_YEAR, "L22866–L22868",
               "安全配置人工核查，2 次/年"),
    TenderDuty(126, "host-hardening", S, "主机加固", "4 次/年", QUARTERLY, "L22870", "主机加固，4 次/年"),
    TenderDuty(126, "security-inspection", S, "安全巡检服务", "1 次/年", YEARLY, "L22872", "安全巡检服务，1 次/年"),
    TenderDuty(126, "security-bulletin", S, "安全通告", "12 次/年", MONTHLY, "L22872", "安全通告，12 次/年"),
    TenderDuty(136, "signature-update", S, "防火墙、防毒墙、IPS 病毒库及规则库更新并登记", "每月两次", TWICE_A_MONTH,
               "L24557–L24561",
               "每月两次对硬件安全设备防火墙，防毒墙，IPS 入侵检测设备更新病毒库及规则库等软件更新并登记相关业务表"),
    TenderDuty(136, "mlps-filing-self-check", S, "填报等保备案信息自查报告", "每年", YEARLY, "L24551–L24553",
               "每年根据网安要求按时填报等保备案信息自查报告"),
    TenderDuty(122, "vulnerability-scan", S, "漏洞扫描", "1 次/年", YEARLY, "L22374", "每年 1 次漏扫"),
    TenderDuty(74, "firewall-virus-library", S, "防火墙病毒库升级", "1 次/年", YEARLY, "L14933",
               "防火墙病毒库每年一次"),
    TenderDuty(114, "onsite-security-inspection", S, "现场安全检查并出具报告", "每季度", QUARTERLY, "L21137–L21139",
               "每季度现场安全检查并提供报告"),
    TenderDuty(37, "vehicle-scale-calibration", C, "称重校准", "每两月 1 次", EVERY_TWO_MONTHS, "L8765",
               "每两月 1 次称重校准"),
    TenderDuty(29, "device-appraisal", C, "非现场设备监测鉴定（预估 720 个断面）", "两年一次", EVERY_TWO_YEARS,
               "L7536–L7538", "非现场设备监测鉴定，两年检测一次，预估 2026 年需要检测 720 个断面"),
    TenderDuty(73, "metrological-verification", C, "法定计量检定（配合）", "每年两次", TWICE_A_YEAR, "L14782",
               "每年计量检定两次，需积极配合完成"),
    TenderDuty(6, "ups-battery-cycling", C, "UPS 电池充放电", "每 3 个月", QUARTERLY, "L3719–L3725",
               "电池充放电 1 次/3 月"),
    TenderDuty(66, "observation-well-washing", C, "观测井洗井（8 眼）", "每年", YEARLY, "L13637",
               "8 眼观测井每年洗井"),
    TenderDuty(74, "consumables", C, "耗材更换（原厂）", "每季度", QUARTERLY, "L14929–L14931",
               "每季度通过原厂更换耗材"),
]


@dataclass(frozen=True)
class TenderItem:
    row: int
    kind: str
    name: str
    quantity: int
    lines: str
    text: str
    renew_lead_months: int = 1
    install_window_days: int = 0
    replace_every_months: int | None = None
    last_replaced_on: str | None = None  # ISO date


ITEMS: list[TenderItem] = [
    TenderItem(62, ExpiringItemKind.CERTIFICATE, "政务服务一体化平台 HTTPS 证书", 1, "L12989–L12995",
               "提前 1 个月确认证书认证机构及完成证书续费工作，证书到期前 1 周内将新证书更新至平台",
               renew_lead_months=1, install_window_days=7),
    TenderItem(3, ExpiringItemKind.CERTIFICATE, "通配符 SSL 证书 *.bishy.gov.cn（原文如此）", 1, "L3115–L3117",
               "通配符 SSL 证书"),
    TenderItem(7, ExpiringItemKind.DIGITAL_CERTIFICATE, "数字证书（其中 76 个含电子印章）", 140, "L4089–L4103",
               "数字证书更新"),
    TenderItem(65, ExpiringItemKind.LICENCE, "视频会议多点控制单元（MCU）许可", 26, "L13413",
               "为 26 套视频会议系统提供多点控制单元许可"),
    TenderItem(6, ExpiringItemKind.LICENCE, "安全设备许可（每年一次许可变更）", 1, "L3790–L3860",
               "安全设备许可及特征库升级"),
    TenderItem(74, ExpiringItemKind.SUPPORT, "安全设备续保", 1, "L15052", "安全设备续保"),
    TenderItem(56, ExpiringItemKind.BATTERY, "信标设备电池（寿命 4 年）", 1, "L11857–L11859",
               "信标设备需配套电池，寿命为 4 年，上一次更换时间为 2024 年 9 月", renew_lead_months=2,
               replace_every_months=48, last_replaced_on="2024-09-01"),
]
