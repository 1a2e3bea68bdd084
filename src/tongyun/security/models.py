"""Security and compliance: the MLPS register and the 2026 assessment programme, findings with their
remediation, the software inventory with vulnerabilities and patches, expiring obligations with their
reminders, and recurring security tasks and contractual duties (MS-01 … MS-07, OT-06 … OT-08)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .choices import (
    Conclusion,
    DutyCategory,
    ExpiringItemKind,
    FindingAction,
    FindingSeverity,
    FindingSource,
    FindingStatus,
    ItemSource,
    LimitUnit,
    MlpsStatus,
    OccurrenceStatus,
    ReminderKind,
    SoftwareKind,
    Stage,
    VulnerabilitySource,
)

USER = settings.AUTH_USER_MODEL


class SystemScoped(models.Model):
    """Rows attached to one system of the catalog: a unit sees its own, field staff their assigned."""

    scope_unit_field = "system__unit"
    scope_system_field = "system"

    class Meta:
        abstract = True


class MlpsRecord(SystemScoped):
    """等保备案登记: a system's level, filing number, last assessment and status (MS-02)."""

    system = models.OneToOneField("catalog.System", on_delete=models.CASCADE, related_name="mlps_record")
    level = models.PositiveSmallIntegerField(_("等保级别"), null=True, blank=True)
    filing_number = models.CharField(_("备案编号"), max_length=100, blank=True)
    last_assessment_year = models.PositiveSmallIntegerField(_("上次测评年份"), null=True, blank=True)
    status = models.CharField(_("测评状态"), max_length=20, choices=MlpsStatus.choices,
                              default=MlpsStatus.UNSTATED)
    tender_text = models.TextField(_("招标原文"), blank=True)
    source_line_start = models.PositiveIntegerField(_("招标文件起始行"), null=True, blank=True)
    source_line_end = models.PositiveIntegerField(_("招标文件结束行"), null=True, blank=True)
    note = models.TextField(_("备注"), blank=True)

    class Meta:
        ordering = ["system__row_no", "id"]
        verbose_name = _("等保备案登记")
        verbose_name_plural = _("等保备案登记")

    def __str__(self) -> str:
        return f"{self.system} · {self.level or '-'}"


class Assessment(SystemScoped):
    """One system's assessment in a year's programme, moving through the stages (MS-01)."""

    system = models.ForeignKey("catalog.System", on_delete=models.PROTECT, related_name="mlps_assessments")
    year = models.PositiveSmallIntegerField(_("年度"))
    level = models.PositiveSmallIntegerField(_("等保级别"))
    stage = models.CharField(_("当前阶段"), max_length=20, choices=Stage.choices, default=Stage.FILING)
    assessor = models.CharField(_("测评机构"), max_length=200, blank=True)
    report = models.FileField(_("测评报告"), upload_to="security/reports/%Y/", blank=True)
    score = models.DecimalField(_("测评得分"), max_digits=5, decimal_places=2, null=True, blank=True)
    conclusion = models.CharField(_("测评结论"), max_length=20, choices=Conclusion.choices, blank=True)
    selected_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    selected_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["year", "system__row_no"]
        verbose_name = _("等保测评")
        verbose_name_plural = _("等保测评")
        constraints = [models.UniqueConstraint(fields=["system", "year"], name="security_assessment_once")]
        indexes = [models.Index(fields=["year", "level"])]

    def __str__(self) -> str:
        return f"{self.year} · {self.system}"


class AssessmentStep(models.Model):
    """A stage completed: when, by whom, with what note."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="steps")
    stage = models.CharField(_("阶段"), max_length=20, choices=Stage.choices)
    completed_on = models.DateField(_("完成日期"))
    note = models.TextField(_("说明"), blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    scope_unit_field = "assessment__system__unit"
    scope_system_field = "assessment__system"

    class Meta:
        ordering = ["assessment", "id"]
        constraints = [models.UniqueConstraint(fields=["assessment", "stage"], name="security_step_once")]

    def __str__(self) -> str:
        return f"{self.assessment} · {self.get_stage_display()}"


class Finding(SystemScoped):
    """A security finding to remediate (MS-05): from an assessment, a scan, an inspection …"""

    system = models.ForeignKey("catalog.System", on_delete=models.PROTECT, related_name="security_findings")
    device = models.ForeignKey("catalog.Device", verbose_name=_("设备"), on_delete=models.SET_NULL, null=True,
                               blank=True, related_name="+")
    assessment = models.ForeignKey(Assessment, verbose_name=_("来源测评"), on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="findings")
    source = models.CharField(_("来源"), max_length=20, choices=FindingSource.choices)
    title = models.CharField(_("问题"), max_length=200)
    description = models.TextField(_("说明"), blank=True)
    severity = models.CharField(_("风险等级"), max_length=10, choices=FindingSeverity.choices)
    found_at = models.DateTimeField(_("发现时间"))
    limit_value = models.PositiveSmallIntegerField(_("整改时限"), default=24)
    limit_unit = models.CharField(_("时限单位"), max_length=20, choices=LimitUnit.choices, default=LimitUnit.HOUR)
    due_at = models.DateTimeField(_("整改期限"), db_index=True)
    owner = models.ForeignKey(USER, verbose_name=_("责任人"), on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="security_findings")
    status = models.CharField(_("状态"), max_length=10, choices=FindingStatus.choices, default=FindingStatus.OPEN,
                              db_index=True)
    fix_description = models.TextField(_("整改情况"), blank=True)
    fix_evidence = models.FileField(_("整改证明"), upload_to="security/evidence/%Y/", blank=True)
    fixed_at = models.DateTimeField(_("整改完成时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("关闭时间"), null=True, blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-found_at", "-id"]
        verbose_name = _("安全问题")
        verbose_name_plural = _("安全问题")

    def __str__(self) -> str:
        return self.title

    def is_overdue(self, now) -> bool:
        """Not fixed by the deadline: overdue from the deadline's very moment on."""
        if self.fixed_at is not None:
            return self.fixed_at > self.due_at
        return now >= self.due_at


class FindingEvent(models.Model):
    """What happened to a finding, in order (recorded, fixed, verified or returned)."""

    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=20, choices=FindingAction.choices)
    by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.finding} · {self.get_action_display()}"


class SoftwareItem(SystemScoped):
    """Software inventory per system (MS-06): OS, database, middleware with versions."""

    system = models.ForeignKey("catalog.System", on_delete=models.CASCADE, related_name="software")
    device = models.ForeignKey("catalog.Device", verbose_name=_("设备"), on_delete=models.SET_NULL, null=True,
                               blank=True, related_name="+")
    kind = models.CharField(_("类别"), max_length=20, choices=SoftwareKind.choices)
    name = models.CharField(_("名称"), max_length=200)
    version = models.CharField(_("版本"), max_length=100, blank=True)
    note = models.TextField(_("备注"), blank=True)

    class Meta:
        ordering = ["system__row_no", "kind", "name"]
        verbose_name = _("软件清单")
        verbose_name_plural = _("软件清单")
        constraints = [models.UniqueConstraint(fields=["system", "kind", "name"], name="security_software_once")]

    def __str__(self) -> str:
        return f"{self.name} {self.version}".strip()


class Vulnerability(SystemScoped):
    system = models.ForeignKey("catalog.System", on_delete=models.CASCADE, related_name="vulnerabilities")
    software = models.ForeignKey(SoftwareItem, verbose_name=_("软件"), on_delete=models.SET_NULL, null=True,
                                 blank=True, related_name="vulnerabilities")
    cve = models.CharField(_("CVE 编号"), max_length=30, blank=True, db_index=True)
    title = models.CharField(_("漏洞名称"), max_length=200)
    severity = models.CharField(_("风险等级"), max_length=10, choices=FindingSeverity.choices)
    source = models.CharField(_("来源"), max_length=20, choices=VulnerabilitySource.choices)
    found_on = models.DateField(_("发现日期"))
    fixed_on = models.DateField(_("修复日期"), null=True, blank=True)
    note = models.TextField(_("备注"), blank=True)

    class Meta:
        ordering = ["-found_on", "-id"]
        verbose_name = _("漏洞")
        verbose_name_plural = _("漏洞")

    def __str__(self) -> str:
        return self.cve or self.title


class Patch(SystemScoped):
    """A patch installed (MS-06): what, when, whether a restart/reconfiguration made it take effect."""

    system = models.ForeignKey("catalog.System", on_delete=models.CASCADE, related_name="patches")
    software = models.ForeignKey(SoftwareItem, verbose_name=_("软件"), on_delete=models.SET_NULL, null=True,
                                 blank=True, related_name="patches")
    vulnerability = models.ForeignKey(Vulnerability, verbose_name=_("修复漏洞"), on_delete=models.SET_NULL,
                                      null=True, blank=True, related_name="patches")
    name = models.CharField(_("补丁"), max_length=200)
    applied_at = models.DateTimeField(_("安装时间"))
    restarted = models.BooleanField(_("已重启"), default=False)
    reconfigured = models.BooleanField(_("已重新配置"), default=False)
    applied_by = models.ForeignKey(USER, verbose_name=_("实施人"), on_delete=models.PROTECT, related_name="+")
    note = models.TextField(_("备注"), blank=True)

    class Meta:
        ordering = ["-applied_at", "-id"]
        verbose_name = _("补丁记录")
        verbose_name_plural = _("补丁记录")

    def __str__(self) -> str:
        return self.name


class ExpiringItem(SystemScoped):
    """Something that expires or must be replaced (OT-06, OT-07), with the rule's lead times.

    `due_on` is the expiry (or the last replacement plus the interval); `renew_from` and `install_from`
    are when the reminders start (row 62: confirm the issuer one month ahead, install in the last week).
    `reminded_stage` is how far the reminders have gone for the current `due_on` (0 none, 1 renew,
    2 install, 3 expired) and `next_reminder_on` the day the next stage begins (None when there is none
    or the item is retired): the daily sweep reads only the rows whose day has come, through its index,
    however many items there are."""

    kind = models.CharField(_("类别"), max_length=30, choices=ExpiringItemKind.choices)
    name = models.CharField(_("名称"), max_length=200)
    system = models.ForeignKey("catalog.System", on_delete=models.CASCADE, related_name="expiring_items")
    device = models.ForeignKey("catalog.Device", verbose_name=_("设备"), on_delete=models.SET_NULL, null=True,
                               blank=True, related_name="+")
    quantity = models.PositiveIntegerField(_("数量"), default=1)
    expires_on = models.DateField(_("到期日"), null=True, blank=True)
    replace_every_months = models.PositiveSmallIntegerField(_("更换周期（月）"), null=True, blank=True)
    last_replaced_on = models.DateField(_("上次更换"), null=True, blank=True)
    renew_lead_months = models.PositiveSmallIntegerField(_("提前续期（月）"), default=1)
    install_window_days = models.PositiveSmallIntegerField(_("到期前安装（天）"), default=0)
    issuer = models.CharField(_("签发/供应方"), max_length=200, blank=True)
    source = models.CharField(_("来源"), max_length=20, choices=ItemSource.choices, default=ItemSource.MANUAL)
    check_target = models.CharField(_("检测地址"), max_length=300, blank=True)
    tender_text = models.TextField(_("招标原文"), blank=True)
    note = models.TextField(_("备注"), blank=True)
    retired = models.BooleanField(_("已停用"), default=False)
    due_on = models.DateField(_("应办日期"), null=True, blank=True)
    renew_from = models.DateField(null=True, blank=True)
    install_from = models.DateField(null=True, blank=True)
    reminded_stage = models.PositiveSmallIntegerField(default=0)
    next_reminder_on = models.DateField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = [models.F("due_on").asc(nulls_last=True), "id"]
        verbose_name = _("到期事项")
        verbose_name_plural = _("到期事项")
        constraints = [models.UniqueConstraint(fields=["check_target"], condition=~Q(check_target=""),
                                               name="security_item_one_per_check_target")]

    def __str__(self) -> str:
        return self.name


class RecurringDuty(SystemScoped):
    """A recurring security task (MS-07) or contractual duty that is not an inspection (OT-08)."""

    system = models.ForeignKey("catalog.System", on_delete=models.CASCADE, related_name="recurring_duties")
    category = models.CharField(_("类别"), max_length=20, choices=DutyCategory.choices)
    key = models.SlugField(_("代码"), max_length=60)
    name = models.CharField(_("事项"), max_length=200)
    cadence = models.CharField(_("频次"), max_length=100)
    rrule = models.CharField(_("重复规则"), max_length=300)
    tender_text = models.TextField(_("招标原文"), blank=True)
    source_lines = models.CharField(_("招标文件行号"), max_length=50, blank=True)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        ordering = ["system__row_no", "category", "id"]
        verbose_name = _("周期事项")
        verbose_name_plural = _("周期事项")
        constraints = [models.UniqueConstraint(fields=["system", "key"], name="security_duty_key")]

    def __str__(self) -> str:
        return f"{self.system} · {self.name}"


class DutyOccurrence(models.Model):
    duty = models.ForeignKey(RecurringDuty, on_delete=models.CASCADE, related_name="occurrences")
    scheduled_for = models.DateField(_("计划日期"))
    due_on = models.DateField(_("截止日期"), db_index=True)
    status = models.CharField(_("状态"), max_length=10, choices=OccurrenceStatus.choices,
                              default=OccurrenceStatus.PLANNED, db_index=True)
    done_on = models.DateField(_("完成日期"), null=True, blank=True)
    done_by = models.ForeignKey(USER, verbose_name=_("完成人"), on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="+")
    result = models.TextField(_("结果"), blank=True)
    evidence = models.FileField(_("记录/证明"), upload_to="security/duties/%Y/", blank=True)

    scope_unit_field = "duty__system__unit"
    scope_system_field = "duty__system"

    class Meta:
        ordering = ["scheduled_for", "id"]
        verbose_name = _("周期事项执行")
        verbose_name_plural = _("周期事项执行")
        constraints = [models.UniqueConstraint(fields=["duty", "scheduled_for"], name="security_occurrence_once")]

    def __str__(self) -> str:
        return f"{self.duty.name} · {self.scheduled_for:%Y-%m-%d}"


class Reminder(SystemScoped):
    """A reminder sent (an expiring item entering a lead time, a finding or duty overdue) — at most once
    each (`key`), however often the sweep runs. The work lists show the unread ones."""

    system = models.ForeignKey("catalog.System", on_delete=models.CASCADE, related_name="security_reminders")
    kind = models.CharField(_("提醒类型"), max_length=20, choices=ReminderKind.choices)
    key = models.CharField(max_length=80, unique=True)
    item = models.ForeignKey(ExpiringItem, on_delete=models.CASCADE, null=True, blank=True,
                             related_name="reminders")
    # Partial indexes (below) instead of the foreign keys' own: most reminders are an item's, and the first
    # sweep after a large import writes tens of thousands at once — two index entries fewer per row.
    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, null=True, blank=True, related_name="reminders",
                                db_index=False)
    occurrence = models.ForeignKey(DutyOccurrence, on_delete=models.CASCADE, null=True, blank=True,
                                   related_name="reminders", db_index=False)
    due_on = models.DateField(_("应办日期"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    done = models.BooleanField(_("已处理"), default=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("提醒")
        verbose_name_plural = _("提醒")
        indexes = [models.Index(fields=["done", "kind"]),
                   models.Index(fields=["finding"], condition=Q(finding__isnull=False),
                                name="security_reminder_finding"),
                   models.Index(fields=["occurrence"], condition=Q(occurrence__isnull=False),
                                name="security_reminder_occurrence")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.key}"
