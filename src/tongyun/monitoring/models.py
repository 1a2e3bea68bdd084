"""Monitoring intake: alert sources with their mapping, every received alert as an event (with its raw
payload), correlation groups that become incidents, device down intervals, and built-in checks."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tongyun.catalog.choices import Severity
from tongyun.catalog.models import Device, System

from .choices import CheckKind, DeviceStatus, EventStatus, FaultKind, OutageCause, SourceKind


class AlertSource(models.Model):
    """A monitoring system that posts alerts to /api/v1/monitoring/… with its own token.

    `mapping` (edited by the bureau) says how labels find the system and device and how severities map:
    {"system_label": "tongyun_system", "device_label": "instance", "device_match": "ip_address|name|serial_number",
     "severity_label": "severity", "severity_map": {"critical": "urgent", "warning": "general"},
     "default_severity": "general", "group_labels": ["alertname"]}
    """

    name = models.CharField(_("名称"), max_length=100, unique=True)
    kind = models.CharField(_("类型"), max_length=20, choices=SourceKind.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    token_prefix = models.CharField(max_length=8)
    enabled = models.BooleanField(_("启用"), default=True)
    default_system = models.ForeignKey(System, on_delete=models.SET_NULL, null=True, blank=True,
                                       related_name="+", verbose_name=_("默认系统"))
    mapping = models.JSONField(_("映射规则"), default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("告警来源")
        verbose_name_plural = _("告警来源")

    def __str__(self) -> str:
        return self.name


class CorrelationGroup(models.Model):
    """Events of one system / upstream device / topology group inside a time window: one incident."""

    key = models.CharField(_("关联键"), max_length=200, db_index=True)
    system = models.ForeignKey(System, on_delete=models.CASCADE, related_name="correlation_groups")
    likely_cause = models.ForeignKey(Device, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                     verbose_name=_("可能的共同原因"))
    opened_at = models.DateTimeField(_("开始"))
    last_event_at = models.DateTimeField(_("最近告警"))
    closed_at = models.DateTimeField(_("结束"), null=True, blank=True)
    incident = models.OneToOneField("incidents.Incident", on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="correlation_group")
    firing_count = models.PositiveIntegerField(default=0)
    # kept as events join (a storm's request must not re-read every event of its groups): the distinct
    # devices of the group's events, and the sibling tokens ("<system>:sib:<upstream>") its firing alerts
    # offer — tongyun.domain.correlation.tokens; both only grow, and a merge adds the absorbed group's
    device_count = models.PositiveIntegerField(default=0)
    sibling_tokens = models.JSONField(default=list, blank=True)

    scope_unit_field = "system__unit"
    scope_system_field = "system"

    class Meta:
        ordering = ["-opened_at"]
        indexes = [models.Index(fields=["key", "closed_at"], name="monitoring_group_open_key")]

    def __str__(self) -> str:
        return f"{self.key} {self.opened_at:%Y-%m-%d %H:%M}"


class Event(models.Model):
    """One alert as received (firing or resolved). Re-deliveries of the same alert state are dropped
    by the unique constraint (source, fingerprint, starts_at, status)."""

    # every index of this table is written by each alert: none repeats another's leading columns (source
    # and system are led by the unique constraint and monitoring_event_system)
    source = models.ForeignKey(AlertSource, on_delete=models.PROTECT, related_name="events", db_index=False)
    fingerprint = models.CharField(max_length=200)
    status = models.CharField(max_length=20, choices=EventStatus.choices)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField(null=True, blank=True)
    received_at = models.DateTimeField(auto_now_add=True)
    system = models.ForeignKey(System, on_delete=models.SET_NULL, null=True, blank=True, related_name="events",
                               db_index=False)
    # indexed by monitoring_event_device_group, which starts with it
    device = models.ForeignKey(Device, on_delete=models.SET_NULL, null=True, blank=True, related_name="events",
                               db_index=False)
    severity = models.CharField(max_length=20, choices=Severity.choices, blank=True)
    summary = models.CharField(max_length=500, blank=True)
    labels = models.JSONField(default=dict, blank=True)
    raw = models.JSONField(default=dict, blank=True)
    # indexed by monitoring_event_group_open, which starts with it
    group = models.ForeignKey(CorrelationGroup, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="events", db_index=False)
    unmapped = models.BooleanField(default=False, help_text=_("no system could be found from the labels"))

    scope_unit_field = "system__unit"
    scope_system_field = "system"

    class Meta:
        ordering = ["-received_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["source", "fingerprint", "starts_at", "status"],
                                               name="monitoring_event_once")]
        indexes = [models.Index(fields=["system", "received_at"], name="monitoring_event_system"),
                   # what still fires in a group, counted from the index alone (resolves, merges)
                   models.Index(fields=["group", "status", "ends_at"], name="monitoring_event_group_open"),
                   # a request's devices in the groups they join: seeks, not a scan of the groups' events
                   models.Index(fields=["device", "group", "status"], name="monitoring_event_device_group")]

    def __str__(self) -> str:
        return f"{self.get_status_display()} {self.summary}"


class DeviceState(models.Model):
    """The current state of a device as the platform knows it (for the live status page and 大屏)."""

    device = models.OneToOneField(Device, on_delete=models.CASCADE, related_name="state")
    status = models.CharField(max_length=20, choices=DeviceStatus.choices, default=DeviceStatus.UNKNOWN)
    since = models.DateTimeField(null=True, blank=True)
    checked_at = models.DateTimeField(null=True, blank=True)
    detail = models.CharField(max_length=300, blank=True)

    scope_unit_field = "device__system__unit"
    scope_system_field = "device__system"

    def __str__(self) -> str:
        return f"{self.device} {self.status}"


class Outage(models.Model):
    """A down interval of a device (end empty while it lasts). Availability is computed from these."""

    # led by monitoring_outage_device and monitoring_outage_system
    device = models.ForeignKey(Device, on_delete=models.CASCADE, related_name="outages", db_index=False)
    system = models.ForeignKey(System, on_delete=models.CASCADE, related_name="outages", db_index=False)
    start = models.DateTimeField(_("开始"))
    end = models.DateTimeField(_("结束"), null=True, blank=True)
    cause = models.CharField(_("来源"), max_length=20, choices=OutageCause.choices)
    fault = models.CharField(_("故障类型"), max_length=30, choices=FaultKind.choices, default=FaultKind.OFFLINE)
    event = models.ForeignKey(Event, on_delete=models.SET_NULL, null=True, blank=True, related_name="outages")
    incident = models.ForeignKey("incidents.Incident", on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="outages")
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")

    scope_unit_field = "system__unit"
    scope_system_field = "system"

    class Meta:
        ordering = ["-start"]
        indexes = [models.Index(fields=["system", "start"], name="monitoring_outage_system"),
                   models.Index(fields=["device", "start"], name="monitoring_outage_device")]

    def __str__(self) -> str:
        return f"{self.device} {self.start}–{self.end or ''}"


class Check(models.Model):
    """A built-in check for installations without a monitoring system: HTTP(S), TCP or ICMP."""

    system = models.ForeignKey(System, on_delete=models.CASCADE, related_name="checks")
    device = models.ForeignKey(Device, on_delete=models.CASCADE, null=True, blank=True, related_name="checks")
    kind = models.CharField(_("类型"), max_length=10, choices=CheckKind.choices)
    target = models.CharField(_("目标"), max_length=300, help_text=_("URL、主机:端口 或 主机"))
    interval_seconds = models.PositiveIntegerField(_("间隔（秒）"), default=300)
    timeout_seconds = models.FloatField(_("超时（秒）"), default=5)
    enabled = models.BooleanField(_("启用"), default=True)
    last_run_at = models.DateTimeField(null=True, blank=True)
    last_ok = models.BooleanField(null=True)
    last_detail = models.CharField(max_length=300, blank=True)
    consecutive_failures = models.PositiveSmallIntegerField(default=0)

    scope_unit_field = "system__unit"
    scope_system_field = "system"

    class Meta:
        ordering = ["system", "id"]
        indexes = [models.Index(fields=["enabled", "last_run_at"], name="monitoring_check_due")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.target}"
