"""What availability excludes and what it must reach: maintenance windows (planned, approved by the
unit or bureau), outages the purchaser accepts (force majeure, construction) with evidence, and the
per-system availability targets of the tender (row 29: 设备在线率 ≥ 98 %)."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tongyun.catalog.models import Device, System

from .choices import AcceptedOutageKind, ApprovalState


class SignedOffRequest(models.Model):
    """Requested by the contractor, decided (approved or rejected) by the purchaser's side through the
    project's one sign-off flow (tongyun.signoffs, flows "availability.maintenance_window" and
    "availability.accepted_outage"). The fields below are the outcome the flow's reactions record
    (services.on_decision_complete / on_decision_rejected), read by the availability figures and lists."""

    state = models.CharField(_("状态"), max_length=20, choices=ApprovalState.choices, default=ApprovalState.REQUESTED)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)

    scope_unit_field = "system__unit"
    scope_system_field = "system"

    class Meta:
        abstract = True


class MaintenanceWindow(SignedOffRequest):
    system = models.ForeignKey(System, on_delete=models.CASCADE, related_name="maintenance_windows")
    devices = models.ManyToManyField(Device, blank=True, related_name="maintenance_windows",
                                     help_text=_("留空表示系统的全部设备"))
    start = models.DateTimeField(_("开始"))
    end = models.DateTimeField(_("结束"))
    reason = models.TextField(_("事由"))
    class Meta:
        ordering = ["-start"]
        verbose_name = _("维护窗口")
        verbose_name_plural = _("维护窗口")

    def __str__(self) -> str:
        return f"{self.system} {self.start:%Y-%m-%d %H:%M}"

    def get_absolute_url(self) -> str:  # the sign-off page links here
        return reverse("availability:windows") + f"?system={self.system_id}"


class AcceptedOutage(SignedOffRequest):
    """An outage the purchaser accepts as not the contractor's (不可抗力, 施工) — with evidence."""

    system = models.ForeignKey(System, on_delete=models.CASCADE, related_name="accepted_outages")
    devices = models.ManyToManyField(Device, blank=True, related_name="accepted_outages",
                                     help_text=_("留空表示系统的全部设备"))
    kind = models.CharField(_("类型"), max_length=20, choices=AcceptedOutageKind.choices)
    start = models.DateTimeField(_("开始"))
    end = models.DateTimeField(_("结束"))
    description = models.TextField(_("说明"))
    evidence = models.FileField(_("证明材料"), upload_to="evidence/%Y/%m/", blank=True)
    class Meta:
        ordering = ["-start"]
        verbose_name = _("认可的停机")
        verbose_name_plural = _("认可的停机")

    def __str__(self) -> str:
        return f"{self.system} {self.get_kind_display()} {self.start:%Y-%m-%d}"

    def get_absolute_url(self) -> str:  # the sign-off page links here
        return reverse("availability:accepted") + f"?system={self.system_id}"


class AvailabilityTarget(models.Model):
    system = models.OneToOneField(System, on_delete=models.CASCADE, related_name="availability_target")
    target_percent = models.DecimalField(_("可用率目标（%）"), max_digits=5, decimal_places=2)
    source = models.TextField(_("依据"), blank=True, help_text=_("招标原文"))

    scope_unit_field = "system__unit"
    scope_system_field = "system"

    class Meta:
        verbose_name = _("可用率目标")
        verbose_name_plural = _("可用率目标")

    def __str__(self) -> str:
        return f"{self.system} ≥ {self.target_percent}%"
