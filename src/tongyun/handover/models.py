"""End-of-term hand-over (移交, RD-07, RD-08, EV-08): a checklist per system, its items, and the refusals or
obstructions the bureau records. Confirmations are sign-offs ("handover.item", "handover.spares"), never
fields of these models; credentials are never stored — only the channel they went through and when."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import Channel, ItemKind, ItemState


class Checklist(models.Model):
    system = models.OneToOneField("catalog.System", on_delete=models.PROTECT, related_name="handover",
                                  verbose_name=_("系统"))
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(default=timezone.now)

    scope_unit_field = "system__unit"
    scope_system_field = "system"

    class Meta:
        ordering = ["system__row_no", "id"]
        verbose_name = _("移交清单")
        verbose_name_plural = _("移交清单")

    def __str__(self) -> str:
        return f"{self.system} · {_('移交清单')}"

    def get_absolute_url(self) -> str:
        return reverse("handover:checklist_detail", args=[self.pk])


class Item(models.Model):
    """One thing to hand over, with the tender lines that require it."""

    checklist = models.ForeignKey(Checklist, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(_("移交事项"), max_length=20, choices=ItemKind.choices)
    source_lines = models.CharField(_("招标文件行"), max_length=40)
    source_quote = models.CharField(_("招标原文"), max_length=300)
    judgement = models.BooleanField(_("招标未明确（甲方与单位要求）"), default=False)
    state = models.CharField(_("状态"), max_length=20, choices=ItemState.choices, default=ItemState.PENDING,
                             db_index=True)
    handed_over_on = models.DateField(_("移交日期"), null=True, blank=True)
    detail = models.TextField(_("移交说明"), blank=True, help_text=_("份数、介质、存放位置等；不得填写口令"))
    channel = models.CharField(_("移交渠道"), max_length=20, choices=Channel.choices, blank=True)
    account_count = models.PositiveIntegerField(_("账号数量"), null=True, blank=True)

    scope_unit_field = "checklist__system__unit"
    scope_system_field = "checklist__system"

    class Meta:
        ordering = ["checklist", "id"]
        constraints = [models.UniqueConstraint(fields=["checklist", "kind"], name="handover_one_item_per_kind")]
        verbose_name = _("移交事项")
        verbose_name_plural = _("移交事项")

    def __str__(self) -> str:
        return f"{self.checklist.system} · {self.get_kind_display()}"

    def get_absolute_url(self) -> str:
        return self.checklist.get_absolute_url()


class Obstruction(models.Model):
    """The contractor refused or obstructed the hand-over (拒不移交或不予配合, L28687–L28691), recorded by the
    bureau; the penalty case it opens is the contracts app's (0.5 % of the contract price)."""

    checklist = models.ForeignKey(Checklist, on_delete=models.PROTECT, related_name="obstructions")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, null=True, blank=True, related_name="obstructions")
    occurred_on = models.DateField(_("发生日期"))
    description = models.TextField(_("事实描述"))
    penalty = models.OneToOneField("contracts.PenaltyCase", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("违约金"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    scope_unit_field = "checklist__system__unit"
    scope_system_field = "checklist__system"

    class Meta:
        ordering = ["-occurred_on", "-id"]
        verbose_name = _("拒不移交记录")
        verbose_name_plural = _("拒不移交记录")

    def __str__(self) -> str:
        return f"{self.checklist.system} · {self.occurred_on}"
