from django.db import models
from django.utils.translation import gettext_lazy as _

# Row 11 of the tender (MS-01, L4678, L4688–L4692): "二级等保 38 个，三级等保 14 个" for 2026.
ASSESSMENT_QUOTAS: dict[int, dict[int, int]] = {2026: {2: 38, 3: 14}}


class MlpsStatus(models.TextChoices):
    """The MLPS status as the tender's "五、等保测评" cells word it (MS-02, MS-04)."""

    NEVER = "never", _("未做过")
    ASSESSED = "assessed", _("已测评")
    IN_PROGRESS = "in_progress", _("正在开展")
    EXPIRED = "expired", _("已做过期")
    UNIT_OWN = "unit_own", _("用户单位自行负责（乙方配合）")
    NOT_REQUIRED = "not_required", _("不涉及")
    UNSTATED = "unstated", _("未注明")


class Stage(models.TextChoices):
    """The stages of an MLPS assessment, in order (MS-01)."""

    FILING = "filing", _("定级备案")
    GAP = "gap", _("差距测评")
    REMEDIATION = "remediation", _("整改")
    FORMAL = "formal", _("正式测评")
    REPORT = "report", _("报告")
    DONE = "done", _("已完成")


STAGE_ORDER = [Stage.FILING, Stage.GAP, Stage.REMEDIATION, Stage.FORMAL, Stage.REPORT, Stage.DONE]


class Conclusion(models.TextChoices):
    CONFORM = "conform", _("符合")
    BASIC = "basic", _("基本符合")
    NONCONFORM = "nonconform", _("不符合")


class FindingSource(models.TextChoices):
    ASSESSMENT = "assessment", _("等保测评")
    SCAN = "scan", _("漏洞扫描")
    INSPECTION = "inspection", _("安全巡检")
    BULLETIN = "bulletin", _("通报预警")
    OTHER = "other", _("其他")


class FindingSeverity(models.TextChoices):
    HIGH = "high", _("高危")
    MEDIUM = "medium", _("中危")
    LOW = "low", _("低危")


class FindingStatus(models.TextChoices):
    OPEN = "open", _("待整改")
    FIXED = "fixed", _("已整改待验证")
    CLOSED = "closed", _("已验证关闭")


class LimitUnit(models.TextChoices):
    HOUR = "hour", _("小时")
    DAY = "day", _("自然日")
    WORKING_DAY = "working_day", _("工作日")


class FindingAction(models.TextChoices):
    RECORDED = "recorded", _("登记")
    FIXED = "fixed", _("整改")
    VERIFIED = "verified", _("验证通过")
    RETURNED = "returned", _("验证未通过，退回")


class SoftwareKind(models.TextChoices):
    OS = "os", _("操作系统")
    DATABASE = "database", _("数据库")
    MIDDLEWARE = "middleware", _("中间件")
    OTHER = "other", _("其他")


class VulnerabilitySource(models.TextChoices):
    SCAN = "scan", _("漏洞扫描")
    BULLETIN = "bulletin", _("通报预警")
    VENDOR = "vendor", _("厂商公告")
    ASSESSMENT = "assessment", _("等保测评")
    OTHER = "other", _("其他")


class ExpiringItemKind(models.TextChoices):
    """Expiring obligations (OT-06, OT-07)."""

    CERTIFICATE = "certificate", _("HTTPS 证书")
    DIGITAL_CERTIFICATE = "digital_certificate", _("数字证书")
    LICENCE = "licence", _("许可证")
    SUPPORT = "support", _("维保/续保")
    BATTERY = "battery", _("电池")
    OTHER = "other", _("其他")


class ItemSource(models.TextChoices):
    MANUAL = "manual", _("手工登记")
    TENDER = "tender", _("招标文件")
    HTTPS_CHECK = "https_check", _("HTTPS 检测")


class ReminderKind(models.TextChoices):
    RENEW = "renew", _("应办理续期")
    INSTALL = "install", _("应安装新证书")
    EXPIRED = "expired", _("已到期")
    FINDING_OVERDUE = "finding_overdue", _("整改超期")
    DUTY_OVERDUE = "duty_overdue", _("任务超期")


class DutyCategory(models.TextChoices):
    SECURITY = "security", _("安全任务")
    CONTRACT = "contract", _("合同约定事项")


class OccurrenceStatus(models.TextChoices):
    PLANNED = "planned", _("待完成")
    DONE = "done", _("已完成")
