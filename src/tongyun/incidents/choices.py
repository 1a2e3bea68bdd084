from django.db import models
from django.utils.translation import gettext_lazy as _

from tongyun.domain import incident_lifecycle as lifecycle


class IncidentState(models.TextChoices):
    REPORTED = lifecycle.REPORTED, _("已报告")
    TRIAGED = lifecycle.TRIAGED, _("已分级")
    DISPATCHED = lifecycle.DISPATCHED, _("已派单")
    ACKNOWLEDGED = lifecycle.ACKNOWLEDGED, _("已响应")
    ON_SITE = lifecycle.ON_SITE, _("已到场")
    IN_PROGRESS = lifecycle.IN_PROGRESS, _("处理中")
    WAITING_USER = lifecycle.WAITING_USER, _("等待用户")
    WAITING_VENDOR = lifecycle.WAITING_VENDOR, _("等待原厂")
    WAITING_PARTS = lifecycle.WAITING_PARTS, _("等待备件审批")
    RESOLVED = lifecycle.RESOLVED, _("已修复")
    CONFIRMED = lifecycle.CONFIRMED, _("用户已确认")
    CLOSED = lifecycle.CLOSED, _("已关闭")
    CANCELLED = lifecycle.CANCELLED, _("已取消")


class IncidentAction(models.TextChoices):
    TRIAGE = "triage", _("分级")
    DISPATCH = "dispatch", _("派单")
    ACKNOWLEDGE = "acknowledge", _("响应")
    ARRIVE = "arrive", _("到达现场")
    START = "start", _("开始处理")
    WAIT_USER = "wait_user", _("等待用户")
    WAIT_VENDOR = "wait_vendor", _("等待原厂")
    WAIT_PARTS = "wait_parts", _("等待备件审批")
    RESUME = "resume", _("恢复处理")
    RESOLVE = "resolve", _("修复完成")
    CONFIRM = "confirm", _("确认修复")
    REOPEN = "reopen", _("重新打开")
    CLOSE = "close", _("关闭")
    CANCEL = "cancel", _("取消")


class IncidentSource(models.TextChoices):
    WEB = "web", _("网页报障")
    API = "api", _("接口")
    PHONE = "phone", _("电话报障")
    ALERT = "alert", _("监控告警")
    INSPECTION = "inspection", _("巡检发现")


class ClockKind(models.TextChoices):
    RESPONSE = "response", _("响应")
    ARRIVAL = "arrival", _("到场")
    REPAIR = "repair", _("修复")
    RESTORE = "restore", _("应急恢复")


class ClockState(models.TextChoices):
    """What a clock shows now. Derived, never stored."""

    NONE = "none", _("无时限")
    UNKNOWN_CALENDAR = "calendar_unknown", _("日历未知")
    RUNNING = "running", _("计时中")
    AT_RISK = "at_risk", _("即将超时")
    PAUSED = "paused", _("已暂停")
    MET = "met", _("按时完成")
    BREACHED = "breached", _("已超时")


class EventKind(models.TextChoices):
    TRANSITION = "transition", _("状态变更")
    COMMENT = "comment", _("备注")
    RECLASSIFIED = "reclassified", _("重新分级")
    DEADLINES = "deadlines", _("时限重算")


class NotificationKind(models.TextChoices):
    REPORTED = "reported", _("新报障")
    ASSIGNED = "assigned", _("新派单")
    RESPONSE_AT_RISK = "response_at_risk", _("响应即将超时")
    RESPONSE_BREACHED = "response_breached", _("响应已超时")
    REPAIR_AT_RISK = "repair_at_risk", _("修复即将超时")
    REPAIR_BREACHED = "repair_breached", _("修复已超时")
    RESOLVED = "resolved", _("待确认修复")
    CLOSED = "closed", _("工单已关闭")
    CALENDAR_UNKNOWN = "calendar_unknown", _("工作日历缺失")


class Channel(models.TextChoices):
    IN_APP = "in_app", _("站内")
    EMAIL = "email", _("邮件")
    SMS = "sms", _("短信")
    WEBHOOK = "webhook", _("群机器人")

