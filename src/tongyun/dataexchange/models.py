"""Data resources to hand over to the district data base, and their daily push figures."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import InterfaceKind, ResourceState


class DataResource(models.Model):
    system = models.ForeignKey("catalog.System", verbose_name=_("系统"), on_delete=models.PROTECT,
                               related_name="data_resources")
    name = models.CharField(_("数据资源"), max_length=200)
    owner_unit = models.ForeignKey("parties.Organisation", verbose_name=_("数据权属单位"), on_delete=models.PROTECT,
                                   related_name="+")
    data_format = models.CharField(_("数据格式"), max_length=100, blank=True)
    interface = models.CharField(_("对接方式"), max_length=20, choices=InterfaceKind.choices,
                                 default=InterfaceKind.API)
    frequency = models.CharField(_("更新频率"), max_length=60, blank=True)
    state = models.CharField(_("状态"), max_length=20, choices=ResourceState.choices, default=ResourceState.PLANNED,
                             db_index=True)
    state_changed_at = models.DateTimeField(_("状态更新时间"), null=True, blank=True)
    state_changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("状态更新人"),
                                         on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    # Daily pushes expected (row 69: 数据上报成功率与及时率); 0 = no push figures kept for it.
    daily_pushes = models.PositiveIntegerField(_("每日应推送次数"), default=0)
    note = models.TextField(_("说明"), blank=True)
    duty_text = models.TextField(_("招标原文"), blank=True)
    source_line = models.PositiveIntegerField(_("招标文件行号"), null=True, blank=True)

    scope_unit_field = "system__unit"
    scope_system_field = "system"

    class Meta:
        ordering = ["system__row_no", "name"]
        verbose_name = _("数据资源")
        verbose_name_plural = _("数据资源")
        constraints = [models.UniqueConstraint(fields=["system", "name"], name="dataexchange_resource_unique")]

    def __str__(self) -> str:
        return self.name


class PushRecord(models.Model):
    """One day's pushes of a resource: how many were due, how many arrived, how many on time."""

    resource = models.ForeignKey(DataResource, verbose_name=_("数据资源"), on_delete=models.CASCADE,
                                 related_name="push_records")
    day = models.DateField(_("日期"))
    expected = models.PositiveIntegerField(_("应推送"))
    succeeded = models.PositiveIntegerField(_("推送成功"))
    on_time = models.PositiveIntegerField(_("及时推送"))

    scope_unit_field = "resource__system__unit"
    scope_system_field = "resource__system"

    class Meta:
        ordering = ["-day"]
        verbose_name = _("推送记录")
        verbose_name_plural = _("推送记录")
        constraints = [
            models.UniqueConstraint(fields=["resource", "day"], name="dataexchange_push_unique"),
            models.CheckConstraint(condition=models.Q(succeeded__lte=models.F("expected"))
                                   & models.Q(on_time__lte=models.F("succeeded")), name="dataexchange_push_counts"),
        ]

    def __str__(self) -> str:
        return f"{self.resource} {self.day}"
