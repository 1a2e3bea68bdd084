"""Incidents (故障工单) with their SLA clocks, the working calendar's overrides, major-event periods,
and notifications. Deadlines are computed by services from tongyun.domain.sla_clock and stored here,
so lists, boards and compliance reports filter on plain columns."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from tongyun.catalog.choices import Severity, TimeUnit
from tongyun.catalog.models import Device, System
from tongyun.core.lookups import write_choices_into_sql
from tongyun.domain.incident_lifecycle import OPEN_STATES

from .choices import Channel, EventKind, IncidentSource, IncidentState, NotificationKind


class CalendarYear(models.Model):
    """A year whose official arrangement (全年放假安排) the bureau entered: its CalendarDay rows
    (not corrections) are the holidays and make-up working days of that year."""

    year = models.PositiveSmallIntegerField(_("年份"), unique=True)
    source = models.CharField(_("依据"), max_length=200, blank=True, help_text=_("如：国务院办公厅通知"))
    declared_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["year"]
        verbose_name = _("工作日历年份")
        verbose_name_plural = _("工作日历年份")

    def __str__(self) -> str:
        return str(self.year)


class CalendarDay(models.Model):
    """A day off or a make-up working day of a declared year, or a single-day correction."""

    date = models.DateField(_("日期"), unique=True)
    is_working = models.BooleanField(_("工作日"))
    name = models.CharField(_("名称"), max_length=100, blank=True)
    is_correction = models.BooleanField(_("单日更正"), default=False)

    class Meta:
        ordering = ["date"]
        verbose_name = _("日历日")
        verbose_name_plural = _("日历日")

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {'班' if self.is_working else '休'} {self.name}"


class BusinessHours(models.Model):
    """Business hours (工作时段) of one system, when they differ from the default 09:00–17:30."""

    system = models.OneToOneField(System, on_delete=models.CASCADE, related_name="business_hours")
    start = models.TimeField(_("开始"))
    end = models.TimeField(_("结束"))

    scope_unit_field = "system__unit"
    scope_system_field = "system"

    class Meta:
        verbose_name = _("工作时段")
        verbose_name_plural = _("工作时段")

    def __str__(self) -> str:
        return f"{self.system} {self.start:%H:%M}–{self.end:%H:%M}"


class MajorEventPeriod(models.Model):
    """重保期: reports inside [start, end) get the stricter of these targets and the system's own."""

    name = models.CharField(_("名称"), max_length=100)
    start = models.DateTimeField(_("开始"))
    end = models.DateTimeField(_("结束"))
    response_value = models.DecimalField(_("响应时限"), max_digits=8, decimal_places=2, default=1)
    response_unit = models.CharField(_("响应时限单位"), max_length=20, choices=TimeUnit.choices, default="hour")
    repair_value = models.DecimalField(_("修复时限"), max_digits=8, decimal_places=2, default=2)
    repair_unit = models.CharField(_("修复时限单位"), max_length=20, choices=TimeUnit.choices, default="hour")
    all_systems = models.BooleanField(_("适用全部系统"), default=True)
    systems = models.ManyToManyField(System, blank=True, related_name="major_event_periods",
                                     verbose_name=_("适用系统"))
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        ordering = ["start"]
        verbose_name = _("重保期")
        verbose_name_plural = _("重保期")

    def __str__(self) -> str:
        return self.name


class Incident(models.Model):
    system = models.ForeignKey(System, on_delete=models.PROTECT, related_name="incidents", verbose_name=_("系统"))
    device = models.ForeignKey(Device, on_delete=models.SET_NULL, null=True, blank=True, related_name="incidents",
                               verbose_name=_("设备"))
    title = models.CharField(_("故障摘要"), max_length=200)
    description = models.TextField(_("故障描述"), blank=True)
    severity = models.CharField(_("故障等级"), max_length=20, choices=Severity.choices)
    tier_key = models.CharField(_("时限条款"), max_length=40, blank=True,
                                help_text=_("按设备类别定时限的系统：所用条款的代码"))
    source = models.CharField(_("来源"), max_length=20, choices=IncidentSource.choices, default=IncidentSource.WEB)
    state = models.CharField(_("状态"), max_length=20, choices=IncidentState.choices, default=IncidentState.REPORTED)
    reported_at = models.DateTimeField(_("报障时间"))
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                    related_name="+", verbose_name=_("登记人"))
    reporter_name = models.CharField(_("报障人"), max_length=100, blank=True)
    reporter_phone = models.CharField(_("报障电话"), max_length=40, blank=True)
    location = models.CharField(_("故障地点/点位"), max_length=200, blank=True)
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="assigned_incidents", verbose_name=_("处理人"))
    created_at = models.DateTimeField(auto_now_add=True)

    acknowledged_at = models.DateTimeField(_("响应时间"), null=True, blank=True)
    arrived_at = models.DateTimeField(_("到场时间"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("修复时间"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("确认人"))
    closed_at = models.DateTimeField(_("关闭时间"), null=True, blank=True)
    paused_since = models.DateTimeField(_("暂停开始"), null=True, blank=True)
    # The unit's satisfaction survey at confirmation (tender rows 7, 32, 74); a monthly fact.
    satisfaction = models.PositiveSmallIntegerField(_("满意度"), null=True, blank=True,
                                                    validators=[MinValueValidator(1), MaxValueValidator(5)])
    satisfaction_comment = models.TextField(_("评价"), blank=True)

    cause = models.TextField(_("故障原因"), blank=True)
    action_taken = models.TextField(_("处理措施"), blank=True)
    parts_used = models.TextField(_("使用备件"), blank=True)

    # The clocks, computed by services.recompute_deadlines from the policy and the calendar.
    policy = models.JSONField(_("适用时限"), default=dict)
    response_due = models.DateTimeField(_("响应时限"), null=True, blank=True)
    arrival_due = models.DateTimeField(_("到场时限"), null=True, blank=True)
    repair_due = models.DateTimeField(_("修复时限"), null=True, blank=True)
    restore_due = models.DateTimeField(_("应急恢复时限"), null=True, blank=True)
    response_risk_at = models.DateTimeField(null=True, blank=True)
    repair_risk_at = models.DateTimeField(null=True, blank=True)
    calendar_unknown_year = models.PositiveSmallIntegerField(_("缺少日历的年份"), null=True, blank=True)
    search_text = models.TextField(blank=True, editable=False)

    scope_unit_field = "system__unit"
    scope_system_field = "system"

    class Meta:
        ordering = ["-reported_at", "-id"]
        verbose_name = _("故障工单")
        verbose_name_plural = _("故障工单")
        indexes = [
            models.Index(fields=["state", "response_due"], name="incident_state_response_due"),
            models.Index(fields=["state", "repair_due"], name="incident_state_repair_due"),
            models.Index(fields=["system", "reported_at"], name="incident_system_reported"),
            models.Index(fields=["assignee", "state"], name="incident_assignee_state"),
            # The open tickets are ~2 % of a year's million (issue #16): small partial indexes let the board
            # and the home card count and order them without visiting the closed ones.
            models.Index(fields=["repair_due"], condition=models.Q(state__in=sorted(OPEN_STATES)),
                         name="incident_open_repair_due"),
            models.Index(fields=["response_due"], condition=models.Q(state__in=sorted(OPEN_STATES),
                                                                     assignee__isnull=True),
                         name="incident_unassigned_response"),
            # Covering on PostgreSQL: the board's and the home pages' counts of open tickets (per severity, per
            # queue: unassigned, at risk, breached — filters.at_risk_q, breached_q; a unit's through system) are
            # index-only scans of ~20,000 entries, instead of visiting ~15,000 heap pages scattered over the
            # table (the 0.5 % stuck open among the old tickets).
            models.Index(fields=["severity"], condition=models.Q(state__in=sorted(OPEN_STATES)),
                         include=["id", "state", "system", "assignee", "acknowledged_at", "response_due",
                                  "response_risk_at", "resolved_at", "paused_since", "repair_due", "repair_risk_at"],
                         name="incident_open_counts"),
            models.Index(fields=["system"], condition=models.Q(state__in=sorted(OPEN_STATES)),
                         name="incident_open_system"),  # a unit's or an engineer's open tickets
            # the two halves of "at risk" (filters.at_risk_q): a small range of future deadlines each
            models.Index(fields=["response_due"], condition=models.Q(state__in=sorted(OPEN_STATES),
                                                                     acknowledged_at__isnull=True),
                         name="incident_unacked_response"),
            models.Index(fields=["repair_due"], condition=models.Q(state__in=sorted(OPEN_STATES),
                                                                   resolved_at__isnull=True,
                                                                   paused_since__isnull=True),
                         name="incident_running_repair"),
            # a unit's tickets waiting for its confirmation, oldest first (its home page): per system, the few
            # resolved ones, not every resolved ticket of the district ANDed with the system's
            models.Index(fields=["system", "resolved_at"], condition=models.Q(state=IncidentState.RESOLVED),
                         name="incident_resolved_system"),
            # Covering on PostgreSQL (INCLUDE is ignored elsewhere: a plain reported_at index there): the month's
            # facts for the contract evaluation (incidents.facts.month_figures) read every column they need
            # from the index — an index-only scan instead of ~94,000 heap rows scattered over the table.
            models.Index(fields=["reported_at"], name="incident_month_facts",
                         include=["id", "system", "state", "severity", "response_due", "acknowledged_at", "repair_due",
                                  "resolved_at", "paused_since", "arrival_due", "arrived_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def number(self) -> str:
        # Incident.number_of, not self.number_of: the list API calls this property on a row view
        # (core.rows.RowView), which has the row's columns only
        return Incident.number_of(self.pk, self.reported_at) if self.pk else "GZ-new"

    @staticmethod
    def number_of(pk: int, reported_at) -> str:
        """The ticket number from the two columns (for lists read as values, without model instances)."""
        return f"GZ{reported_at:%Y}-{pk:06d}"


# the open-ticket partial indexes above, usable on SQLite too (core/lookups.py)
write_choices_into_sql(Incident._meta.get_field("state"))


def _attachment_path(attachment, filename: str) -> str:
    return f"incidents/{attachment.incident_id}/{filename}"


class IncidentAttachment(models.Model):
    """A photo or document the reporter (or anyone on the ticket) added; the size is checked by the service
    against TONGYUN_UPLOAD_MAX_BYTES, the same limit the request-size middleware applies."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("文件"), upload_to=_attachment_path, max_length=300)
    name = models.CharField(_("文件名"), max_length=200)
    size = models.PositiveIntegerField(_("大小"))
    is_image = models.BooleanField(_("照片"), default=False)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    scope_unit_field = "incident__system__unit"
    scope_system_field = "incident__system"

    class Meta:
        ordering = ["id"]
        verbose_name = _("工单附件")
        verbose_name_plural = _("工单附件")

    def __str__(self) -> str:
        return self.name


class IncidentPause(models.Model):
    """A stretch of time in a waiting state; the arrival, repair and restore clocks stop during it."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="pauses")
    state = models.CharField(max_length=20, choices=IncidentState.choices)
    start = models.DateTimeField()
    end = models.DateTimeField(null=True, blank=True)

    scope_unit_field = "incident__system__unit"
    scope_system_field = "incident__system"

    class Meta:
        ordering = ["start"]

    def __str__(self) -> str:
        return f"{self.incident_id} {self.state} {self.start}–{self.end or ''}"


class IncidentEvent(models.Model):
    """The ticket's timeline: every transition, reclassification, deadline change and comment."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("时间"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    action = models.CharField(max_length=20, blank=True)
    from_state = models.CharField(max_length=20, blank=True)
    to_state = models.CharField(max_length=20, blank=True)
    note = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)

    scope_unit_field = "incident__system__unit"
    scope_system_field = "incident__system"

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.incident_id} {self.kind} {self.at}"


class Deliverable(models.Model):
    """The delivery state of one message on one channel, delivered by services.deliver_pending (claim,
    attempts, permanent errors). Notification is the incidents' one; another domain that notifies people
    (e.g. staffing's certificate expiry) subclasses this, adds its subject, recipient and unique key, and
    registers the model with services.register_deliverable — one delivery mechanism for all."""

    channel = models.CharField(max_length=20, choices=Channel.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    # delivery given up: a permanent channel error, or the last allowed attempt failed (listed for the admin)
    given_up_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True


class Notification(Deliverable):
    """One message to one person on one channel about one thing; the unique constraint makes a
    notification exist at most once, however often or late the sweep runs."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=30, choices=NotificationKind.choices)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")

    scope_unit_field = "incident__system__unit"
    scope_system_field = "incident__system"

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["incident", "kind", "recipient", "channel"],
                                    name="notification_once"),
        ]
        indexes = [models.Index(fields=["sent_at", "channel"], name="notification_unsent")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.recipient}"


