"""A report: one type (tongyun.reports.types), one scope (a system, a user unit or the district) and one period.

`data` is the one data dict every renderer (page, Word, PDF, Excel) and the API show: computed when the
draft is generated or refreshed, frozen when the contractor submits (the snapshot the parties sign).
The signatures are a sign-off of the flow "reports.<type>" (tongyun.signoffs); the report mirrors its
state. A signed report is immutable; a correction is a new version that supersedes it.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tongyun.incidents.models import Deliverable  # the platform's one delivery base (as staffing's notices)

from .choices import ReportState


class Report(models.Model):
    type_key = models.CharField(_("报告类型"), max_length=60, db_index=True)
    title = models.CharField(_("标题"), max_length=300)
    # "system:<id>", "unit:<id>" or "district": one report per type, scope, period and version.
    scope_key = models.CharField(max_length=40)
    system = models.ForeignKey("catalog.System", verbose_name=_("系统"), on_delete=models.PROTECT, null=True,
                               blank=True, related_name="reports")
    unit = models.ForeignKey("parties.Organisation", verbose_name=_("用户单位"), on_delete=models.PROTECT, null=True,
                             blank=True, related_name="reports")
    period_start = models.DateField(_("期间开始"))
    period_end = models.DateField(_("期间结束"))
    version = models.PositiveSmallIntegerField(_("版本"), default=1)
    supersedes = models.OneToOneField("self", on_delete=models.PROTECT, null=True, blank=True,
                                      related_name="superseded_by")
    state = models.CharField(_("状态"), max_length=20, choices=ReportState.choices, default=ReportState.DRAFT,
                             db_index=True)
    due_at = models.DateTimeField(_("提交期限"), null=True, blank=True)
    narratives = models.JSONField(_("编制说明"), default=dict, blank=True)  # {heading: text}
    data = models.JSONField(_("报告数据"), default=dict)
    data_at = models.DateTimeField(_("数据时间"), null=True, blank=True)
    first_submitted_at = models.DateTimeField(_("首次提交时间"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    signed_at = models.DateTimeField(_("签署完成时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("生成时间"), default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("生成人"), on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")  # None: the worker

    scope_unit_field = "unit"
    scope_system_field = "system"

    class Meta:
        ordering = ["-period_start", "type_key", "scope_key", "-version"]
        verbose_name = _("报告")
        verbose_name_plural = _("报告")
        constraints = [models.UniqueConstraint(fields=["type_key", "scope_key", "period_start", "version"],
                                               name="reports_one_version")]
        indexes = [models.Index(fields=["state", "due_at"]), models.Index(fields=["unit", "state"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("reports:detail", args=[self.pk])

    def is_late(self, now=None) -> bool:
        """Submitted after the deadline, or not submitted and past it (never without a deadline)."""
        if self.due_at is None:
            return False
        if self.first_submitted_at is not None:
            return self.first_submitted_at > self.due_at
        return (now or timezone.now()) > self.due_at


class ReportNotification(Deliverable):
    """A reminder of the report engine (reminders.py) to one person on one channel: stored like every
    notification of the platform (incidents.models.Deliverable, delivered by incidents.services.deliver_pending,
    read in the in-app inbox); unique per report, kind and person, so a sweep never sends it twice."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="notifications")
    # "due" (to the drafter, before the deadline) or "sign:<sign-off>:<step>:<submission>" (to the signers)
    kind = models.CharField(max_length=80)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                  related_name="report_notifications")

    scope_unit_field = "report__unit"
    scope_system_field = "report__system"

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["report", "kind", "recipient", "channel"],
                                               name="report_notification_once")]

    def __str__(self) -> str:
        return f"{self.report} · {self.kind} → {self.recipient}"

    def get_absolute_url(self) -> str:
        return self.report.get_absolute_url()
