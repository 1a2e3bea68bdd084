from django.db import models
from django.utils.translation import gettext_lazy as _


class SourceKind(models.TextChoices):
    ALERTMANAGER = "alertmanager", _("Prometheus Alertmanager")
    ZABBIX = "zabbix", _("Zabbix")
    GENERIC = "generic", _("通用 JSON")
    BUILTIN = "builtin", _("平台内置检测")


class EventStatus(models.TextChoices):
    FIRING = "firing", _("告警中")
    RESOLVED = "resolved", _("已恢复")


class CheckKind(models.TextChoices):
    HTTP = "http", _("HTTP(S)")
    TCP = "tcp", _("TCP 端口")
    ICMP = "icmp", _("ICMP（ping）")


class DeviceStatus(models.TextChoices):
    UNKNOWN = "unknown", _("未知")
    UP = "up", _("在线")
    DOWN = "down", _("离线")
    DEGRADED = "degraded", _("部分故障")


class OutageCause(models.TextChoices):
    """Where a down interval came from: the tender's fault definitions can be recorded by inspections
    and incidents too (功能丧失, 部分丧失, 图像质量不达标, 镜头污损), not only by monitoring."""

    MONITORING = "monitoring", _("监控告警")
    CHECK = "check", _("平台检测")
    INSPECTION = "inspection", _("巡检发现")
    INCIDENT = "incident", _("故障工单")
    MANUAL = "manual", _("人工登记")


class FaultKind(models.TextChoices):
    FUNCTION_LOST = "function_lost", _("功能丧失")
    FUNCTION_PARTLY_LOST = "function_partly_lost", _("功能部分丧失")
    IMAGE_QUALITY = "image_quality", _("图像质量不达标（GB 50348-2018）")
    DIRTY_LENS = "dirty_lens", _("镜头污损")
    OFFLINE = "offline", _("离线")
