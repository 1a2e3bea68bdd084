"""Electricity supply points with their monthly bills, and network links — both paid by the contractor
for the units where the tender says so, and reimbursed in the settlement."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import LinkKind


class SupplyPoint(models.Model):
    """A metered supply point (电表 / 户号) feeding a system's devices."""

    system = models.ForeignKey("catalog.System", verbose_name=_("系统"), on_delete=models.PROTECT,
                               related_name="supply_points")
    name = models.CharField(_("名称"), max_length=200)
    account_number = models.CharField(_("户号"), max_length=60)
    meter_number = models.CharField(_("表号"), max_length=60, blank=True)
    address = models.CharField(_("地址"), max_length=300, blank=True)
    supplier = models.CharField(_("供电单位"), max_length=100, blank=True, default="国网北京顺义供电公司")
    devices = models.CharField(_("供电设备"), max_length=300, blank=True, help_text=_("如：前端点位 12 处"))
    active = models.BooleanField(_("在用"), default=True)

    scope_unit_field = "system__unit"
    scope_system_field = "system"

    class Meta:
        ordering = ["system__row_no", "name"]
        verbose_name = _("供电点")
        verbose_name_plural = _("供电点")
        constraints = [models.UniqueConstraint(fields=["account_number"], name="utilities_supply_account_unique")]

    def __str__(self) -> str:
        return f"{self.name}（{self.account_number}）"


class ElectricityBill(models.Model):
    """One month's bill of a supply point, paid by the contractor and checked by the unit."""

    supply_point = models.ForeignKey(SupplyPoint, verbose_name=_("供电点"), on_delete=models.PROTECT,
                                     related_name="bills")
    month = models.DateField(_("账期"), help_text=_("该月第一天"))
    kwh = models.DecimalField(_("用电量（kWh）"), max_digits=12, decimal_places=2)
    amount = models.DecimalField(_("金额（元）"), max_digits=12, decimal_places=2)
    paid_on = models.DateField(_("缴费日期"), null=True, blank=True)
    scan = models.FileField(_("账单扫描件"), upload_to="bills/%Y/%m/", blank=True, max_length=300)
    note = models.TextField(_("备注"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    scope_unit_field = "supply_point__system__unit"
    scope_system_field = "supply_point__system"

    class Meta:
        ordering = ["-month", "supply_point_id"]
        verbose_name = _("电费账单")
        verbose_name_plural = _("电费账单")
        constraints = [models.UniqueConstraint(fields=["supply_point", "month"], name="utilities_bill_unique")]
        indexes = [models.Index(fields=["month", "supply_point"])]

    def __str__(self) -> str:
        return f"{self.supply_point} {self.month:%Y-%m}"


class NetworkLink(models.Model):
    """A group of links of one kind (e.g. row 29: 640 wireless links), as the tender lists them."""

    system = models.ForeignKey("catalog.System", verbose_name=_("系统"), on_delete=models.PROTECT,
                               related_name="network_links")
    kind = models.CharField(_("类型"), max_length=20, choices=LinkKind.choices)
    name = models.CharField(_("名称"), max_length=200)
    count = models.PositiveIntegerField(_("数量"), default=1)
    bandwidth = models.CharField(_("带宽"), max_length=60, blank=True)
    carrier = models.CharField(_("运营商"), max_length=60, blank=True)
    endpoint_a = models.CharField(_("A 端"), max_length=200, blank=True)
    endpoint_b = models.CharField(_("Z 端"), max_length=200, blank=True)
    monthly_fee = models.DecimalField(_("月费（元）"), max_digits=12, decimal_places=2, null=True, blank=True,
                                      help_text=_("乙方代缴时填写，按月计入结算"))
    paid_by_contractor = models.BooleanField(_("乙方代缴"), default=False)
    device = models.ForeignKey("catalog.Device", verbose_name=_("拓扑中的设备"), on_delete=models.SET_NULL,
                               null=True, blank=True, related_name="+",
                               help_text=_("该链路在拓扑中对应的设备，作为前端设备的上联，用于告警关联"))
    source_text = models.TextField(_("招标原文"), blank=True)
    source_line = models.PositiveIntegerField(_("招标文件行号"), null=True, blank=True)

    scope_unit_field = "system__unit"
    scope_system_field = "system"

    class Meta:
        ordering = ["system__row_no", "kind", "id"]
        verbose_name = _("网络链路")
        verbose_name_plural = _("网络链路")

    def __str__(self) -> str:
        return f"{self.name} × {self.count}"
