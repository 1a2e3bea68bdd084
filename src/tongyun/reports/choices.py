from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("签署中")
    RETURNED = "returned", _("已退回")
    SIGNED = "signed", _("已签署")
    SUPERSEDED = "superseded", _("已被新版本取代")


EDITABLE_STATES = frozenset({ReportState.DRAFT, ReportState.RETURNED})


class Level(models.TextChoices):
    SYSTEM = "system", _("系统")
    UNIT = "unit", _("用户单位")
    DISTRICT = "district", _("全区（项目）")


class Cadence(models.TextChoices):
    DAILY = "daily", _("每日")
    WEEKLY = "weekly", _("每周")
    MONTHLY = "monthly", _("每月")
    QUARTERLY = "quarterly", _("每季度")
    ANNUAL = "annual", _("每年")
    TERM = "term", _("服务期末")
    EVENT = "event", _("每次重大活动")
    ONCE = "once", _("按需")
