"""Posts, certificates, working patterns and states of the staffing domain."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Post(models.TextChoices):
    """The management and field posts of ch. 5 §五 (ST-02)."""

    PROJECT_MANAGER = "project_manager", _("项目经理")
    DISPATCHER = "dispatcher", _("总指挥调度")
    SECURITY_OFFICER = "security_officer", _("信息安全管理人员")
    DATA_QUALITY_OFFICER = "data_quality_officer", _("数据质量管理专员")
    WEAK_CURRENT = "weak_current", _("弱电维修员")
    ELECTRICIAN = "electrician", _("电工")


class CertificateKind(models.TextChoices):
    SENIOR_PM = "senior_pm", _("高级信息系统项目管理师")
    CISP = "cisp", _("注册信息安全管理人员")
    SENIOR_ANALYST = "senior_analyst", _("高级系统分析师")
    SAFETY_C = "safety_c", _("安全生产考核合格C类证书")
    LOW_VOLTAGE = "low_voltage", _("电工证（低压）")
    DRIVING = "driving", _("驾驶证")
    OTHER = "other", _("其他")


class WorkPattern(models.TextChoices):
    FIVE_BY_EIGHT = "5x8", _("5×8")
    SEVEN_BY_EIGHT = "7x8", _("7×8")
    SEVEN_BY_24 = "7x24", _("7×24")
    FIVE_BY_EIGHT_RESPONSE_24 = "5x8+7x24", _("5×8 驻场 + 7×24 响应")
    HOURS = "hours", _("按行内时段")
    UNSPECIFIED = "unspecified", _("未写明")


class ChangeState(models.TextChoices):
    PENDING = "pending", _("待用户单位同意")
    APPROVED = "approved", _("已同意")
    REJECTED = "rejected", _("未同意")
    WITHDRAWN = "withdrawn", _("已撤回")


class DayKind(models.TextChoices):
    ALL = "all", _("每天")
    WORKING = "working", _("工作日")
    REST = "rest", _("休息日（含节假日）")
