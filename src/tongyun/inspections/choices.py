from django.db import models
from django.utils.translation import gettext_lazy as _


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("待审批")
    APPROVED = "approved", _("已审批")


class TaskState(models.TextChoices):
    """Stored states. "Missed" (逾期) is derived: due date passed and not done."""

    PENDING = "pending", _("待巡检")
    IN_PROGRESS = "in_progress", _("巡检中")
    DONE = "done", _("已完成")


MISSED = "missed"
MISSED_LABEL = _("已逾期")


class Section(models.TextChoices):
    """The parts of an inspection as the tender lists them (软件巡检 / 硬件巡检 / 机房)."""

    SOFTWARE_CONFIG = "software_config", _("软件管理配置")
    STABILITY = "stability", _("运行稳定性")
    BUSINESS_QUALITY = "business_quality", _("业务质量")
    HARDWARE = "hardware", _("硬件运行状态与健康度")
    ENVIRONMENT = "environment", _("机房环境")
    SYSTEM_SPECIFIC = "system_specific", _("系统特定项目")


class ItemKind(models.TextChoices):
    PASS_FAIL = "pass_fail", _("正常/异常")
    NUMBER = "number", _("数值")
    TEXT = "text", _("文字")
    PHOTO = "photo", _("照片")
