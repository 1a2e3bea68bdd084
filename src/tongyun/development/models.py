"""Development effort caps per system and the units' change requests against them."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import RequestKind, RequestState


class EffortCap(models.Model):
    """A row's promise of development work up to N person-months in the service year."""

    system = models.OneToOneField("catalog.System", verbose_name=_("系统"), on_delete=models.CASCADE,
                                  related_name="effort_cap")
    person_months = models.DecimalField(_("工作量上限（人月）"), max_digits=6, decimal_places=2)
    scope = models.CharField(_("适用范围"), max_length=200, blank=True)
    source_text = models.TextField(_("招标原文"), blank=True)
    source_line = models.PositiveIntegerField(_("招标文件行号"), null=True, blank=True)

    scope_unit_field = "system__unit"
    scope_system_field = "system"

    class Meta:
        ordering = ["system__row_no"]
        verbose_name = _("开发工作量上限")
        verbose_name_plural = _("开发工作量上限")

    def __str__(self) -> str:
        return f"{self.system} ≤ {self.person_months} 人月"


class ChangeRequest(models.Model):
    system = models.ForeignKey("catalog.System", verbose_name=_("系统"), on_delete=models.PROTECT,
                               related_name="change_requests")
    kind = models.CharField(_("类型"), max_length=20, choices=RequestKind.choices)
    title = models.CharField(_("需求"), max_length=200)
    description = models.TextField(_("需求说明"), blank=True)
    state = models.CharField(_("状态"), max_length=20, choices=RequestState.choices, default=RequestState.REQUESTED,
                             db_index=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("提出人"), on_delete=models.PROTECT,
                                     related_name="+")
    requested_at = models.DateTimeField(_("提出时间"))
    # Row 57: the contractor answers a new-function request within 5 working days.
    reply_due = models.DateTimeField(_("答复期限"))
    replied_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    replied_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("答复人"), on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")
    reply = models.TextField(_("答复（方案与工作量说明）"), blank=True)
    estimate_person_months = models.DecimalField(_("估算工作量（人月）"), max_digits=6, decimal_places=2, null=True,
                                                 blank=True)
    separate_agreement = models.TextField(_("另行约定"), blank=True,
                                          help_text=_("超出工作量上限时，甲乙双方另行议定的合同或协议"))
    # RD-03: an upgrade is done free of charge within one week of the formal request.
    delivery_due = models.DateTimeField(_("交付期限"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("交付时间"), null=True, blank=True)
    delivery_note = models.TextField(_("交付说明"), blank=True)
    accepted_at = models.DateTimeField(_("验收时间"), null=True, blank=True)
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("验收人"), on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+")

    scope_unit_field = "system__unit"
    scope_system_field = "system"

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("开发需求")
        verbose_name_plural = _("开发需求")
        indexes = [models.Index(fields=["system", "state"])]

    def __str__(self) -> str:
        return self.title

    @property
    def reply_late(self) -> bool:
        return self.replied_at is not None and self.replied_at > self.reply_due

    @property
    def delivery_late(self) -> bool:
        return self.delivery_due is not None and self.delivered_at is not None and self.delivered_at > self.delivery_due
