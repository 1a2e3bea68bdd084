"""Spare parts (备品备件): items under contractual caps, the stock ledger, replacements, removed devices,
repair records, equal-value substitutions and the end-of-term stock list.

Stock is never a stored count: every movement is a `StockEntry` row, and the stock of an item in a
warehouse is the sum of its entries. Each entry also keeps the balance after it (computed while the item
row is locked), so the newest entry answers "how many now" without summing, and a check constraint makes
a negative balance impossible even if two issues race.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tongyun.catalog.models import Device, System

from .choices import DisposalState, EntryKind, ReplacementState, SubstitutionState


class Warehouse(models.Model):
    """A store of the contractor's (SP-04: inside 顺义区)."""

    name = models.CharField(_("库房名称"), max_length=100, unique=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    in_shunyi = models.BooleanField(_("位于顺义区内"), default=True)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("备件库房")
        verbose_name_plural = _("备件库房")

    def __str__(self) -> str:
        return self.name


class SpareItem(models.Model):
    """A spare part of one system, with the contract's cap (quantity per year) and the minimum to keep."""

    system = models.ForeignKey(System, on_delete=models.PROTECT, related_name="spare_items", verbose_name=_("系统"))
    name = models.CharField(_("名称"), max_length=100)
    model = models.CharField(_("型号"), max_length=100, blank=True)
    spec = models.TextField(_("参数要求"), blank=True, help_text=_("招标文件的参数要求；更换件不得低于此要求"))
    unit = models.CharField(_("单位"), max_length=10, default="台")
    unit_price = models.DecimalField(_("单价（元）"), max_digits=12, decimal_places=2, null=True, blank=True)
    cap_year = models.PositiveSmallIntegerField(_("年度"), default=2026)
    cap = models.PositiveIntegerField(_("数量上限"), null=True, blank=True, help_text=_("空：合同未限量"))
    minimum_stock = models.PositiveIntegerField(_("最低库存"), default=0)
    yearly_minimums = models.JSONField(_("各年最低储备"), default=dict, blank=True)
    source = models.CharField(_("来源"), max_length=200, blank=True)
    source_line_start = models.PositiveIntegerField(_("招标文件起始行"), null=True, blank=True)
    source_line_end = models.PositiveIntegerField(_("招标文件结束行"), null=True, blank=True)

    scope_unit_field = "system__unit"
    scope_system_field = "system"

    class Meta:
        ordering = ["system__row_no", "id"]
        verbose_name = _("备品备件")
        verbose_name_plural = _("备品备件")
        constraints = [models.UniqueConstraint(fields=["system", "cap_year", "name", "model"],
                                               name="spares_item_unique_per_system_year")]

    def __str__(self) -> str:
        return f"{self.name} {self.model}".strip()

    def get_absolute_url(self) -> str:
        return reverse("spares:item_detail", kwargs={"pk": self.pk})

    @property
    def system_row(self) -> int | None:
        return self.system.row_no


class StockEntry(models.Model):
    item = models.ForeignKey(SpareItem, on_delete=models.PROTECT, related_name="entries", verbose_name=_("备件"))
    warehouse = models.ForeignKey(Warehouse, on_delete=models.PROTECT, related_name="entries", verbose_name=_("库房"))
    kind = models.CharField(_("类型"), max_length=20, choices=EntryKind.choices)
    quantity = models.IntegerField(_("数量"), help_text=_("入库为正，出库为负"))
    balance = models.IntegerField(_("结存"))
    at = models.DateTimeField(_("时间"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("经办人"))
    replacement = models.ForeignKey("Replacement", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="entries", verbose_name=_("更换申请"))
    note = models.CharField(_("说明"), max_length=300, blank=True)

    scope_unit_field = "item__system__unit"
    scope_system_field = "item__system"

    class Meta:
        ordering = ["-id"]
        verbose_name = _("库存流水")
        verbose_name_plural = _("库存流水")
        indexes = [models.Index(fields=["item", "warehouse", "-id"], name="spares_entry_item_wh"),
                   models.Index(fields=["item", "kind", "at"], name="spares_entry_item_kind_at")]
        constraints = [models.CheckConstraint(condition=models.Q(balance__gte=0), name="spares_entry_never_negative"),
                       models.CheckConstraint(condition=~models.Q(quantity=0), name="spares_entry_not_zero")]

    def __str__(self) -> str:
        return f"{self.item} {self.get_kind_display()} {self.quantity}"

    @property
    def at_local(self) -> str:
        return f"{timezone.localtime(self.at):%Y-%m-%d %H:%M}"


class MonthlyUse(models.Model):
    """Units of an item used for replacements in one month (Asia/Shanghai): issues less their returns.

    A running total kept by `services.post_entry` under the item's row lock, next to the ledger it sums,
    so that the settlement (used per cap year) and the monthly facts read at most twelve rows per item
    instead of summing a ledger of a million rows. `services.rebuild_monthly_use` recomputes it from the
    ledger (the migration that introduced it, and after a bulk load)."""

    item = models.ForeignKey(SpareItem, on_delete=models.CASCADE, related_name="monthly_use")
    month = models.DateField(_("月份"))  # the first day of the month
    quantity = models.IntegerField(_("使用数量"), default=0)

    class Meta:
        ordering = ["item", "month"]
        verbose_name = _("备件月使用量")
        verbose_name_plural = _("备件月使用量")
        constraints = [models.UniqueConstraint(fields=["item", "month"], name="spares_monthly_use_once")]

    def __str__(self) -> str:
        return f"{self.item} {self.month:%Y-%m}: {self.quantity}"


class Replacement(models.Model):
    """A device that cannot be repaired, to be replaced by a spare once the purchaser and the supervisor
    confirm (SP-07; sign-off flow "spares.replacement")."""

    incident = models.ForeignKey("incidents.Incident", on_delete=models.PROTECT, related_name="spare_replacements",
                                 verbose_name=_("故障工单"))
    system = models.ForeignKey(System, on_delete=models.PROTECT, related_name="spare_replacements",
                               verbose_name=_("系统"))
    item = models.ForeignKey(SpareItem, on_delete=models.PROTECT, related_name="replacements", verbose_name=_("备件"))
    device = models.ForeignKey(Device, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                               verbose_name=_("被更换设备"))
    quantity = models.PositiveIntegerField(_("数量"), default=1)
    reason = models.TextField(_("无法修复的情况"))
    proposed_model = models.CharField(_("拟更换型号"), max_length=100, blank=True)
    over_cap_reason = models.TextField(_("超量使用理由"), blank=True)
    state = models.CharField(_("状态"), max_length=20, choices=ReplacementState.choices,
                             default=ReplacementState.REQUESTED)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("申请人"))
    requested_at = models.DateTimeField(_("申请时间"))
    issued_at = models.DateTimeField(_("更换时间"), null=True, blank=True)
    new_model = models.CharField(_("新设备型号"), max_length=100, blank=True)
    new_serial = models.CharField(_("新设备序列号"), max_length=100, blank=True)
    installed_on = models.DateField(_("安装日期"), null=True, blank=True)

    scope_unit_field = "system__unit"
    scope_system_field = "system"

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("备件更换申请")
        verbose_name_plural = _("备件更换申请")

    def __str__(self) -> str:
        return f"{self.item} × {self.quantity} ({self.incident.number})"

    def get_absolute_url(self) -> str:
        return reverse("spares:replacement_detail", kwargs={"pk": self.pk})

    @property
    def over_cap(self) -> bool:
        return bool(self.over_cap_reason)


class ReplacementPhoto(models.Model):
    replacement = models.ForeignKey(Replacement, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(_("照片"), upload_to="spares/replacements/%Y/%m/")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    scope_unit_field = "replacement__system__unit"
    scope_system_field = "replacement__system"

    def __str__(self) -> str:
        return self.image.name


class RemovedDevice(models.Model):
    """The removed-device ledger (拆除设备台账, SP-08); disposal needs the bureau's consent (SP-13)."""

    system = models.ForeignKey(System, on_delete=models.PROTECT, related_name="removed_devices",
                               verbose_name=_("系统"))
    incident = models.ForeignKey("incidents.Incident", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+", verbose_name=_("故障工单"))
    replacement = models.OneToOneField(Replacement, on_delete=models.PROTECT, null=True, blank=True,
                                       related_name="removed_device", verbose_name=_("更换申请"))
    device = models.ForeignKey(Device, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                               verbose_name=_("设备"))
    device_name = models.CharField(_("设备名称"), max_length=200)
    old_model = models.CharField(_("原型号"), max_length=100, blank=True)
    old_serial = models.CharField(_("原序列号"), max_length=100, blank=True)
    removal_reason = models.TextField(_("拆除原因"))
    location = models.CharField(_("位置"), max_length=200)
    years_in_use = models.DecimalField(_("使用年限"), max_digits=5, decimal_places=1, null=True, blank=True)
    removed_at = models.DateTimeField(_("拆除时间"))
    kept_at = models.CharField(_("旧件存放处"), max_length=200)
    disposal = models.CharField(_("处置"), max_length=20, choices=DisposalState.choices, default=DisposalState.KEPT)

    scope_unit_field = "system__unit"
    scope_system_field = "system"

    class Meta:
        ordering = ["-removed_at", "-id"]
        verbose_name = _("拆除设备台账")
        verbose_name_plural = _("拆除设备台账")

    def __str__(self) -> str:
        return f"{self.device_name} ({self.removed_at:%Y-%m-%d})"

    @property
    def removed_local(self) -> str:
        return f"{timezone.localtime(self.removed_at):%Y-%m-%d %H:%M}"

    @property
    def incident_number(self) -> str:
        return self.incident.number if self.incident_id else ""


class RepairRecord(models.Model):
    """A part repaired instead of replaced (备品备件维修记录, SP-06)."""

    system = models.ForeignKey(System, on_delete=models.PROTECT, related_name="spare_repairs", verbose_name=_("系统"))
    item = models.ForeignKey(SpareItem, on_delete=models.PROTECT, null=True, blank=True, related_name="repairs",
                             verbose_name=_("备件"))
    incident = models.ForeignKey("incidents.Incident", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+", verbose_name=_("故障工单"))
    device = models.ForeignKey(Device, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                               verbose_name=_("设备"))
    part = models.CharField(_("维修部件"), max_length=200)
    fault = models.TextField(_("故障情况"))
    action = models.TextField(_("维修措施"))
    repaired_on = models.DateField(_("维修日期"))
    repaired_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("维修人"))

    scope_unit_field = "system__unit"
    scope_system_field = "system"

    class Meta:
        ordering = ["-repaired_on", "-id"]
        verbose_name = _("备品备件维修记录")
        verbose_name_plural = _("备品备件维修记录")

    def __str__(self) -> str:
        return f"{self.part} ({self.repaired_on})"


class Substitution(models.Model):
    """Unused capped quantity of one item exchanged for another at the same total price (SP-09)."""

    system = models.ForeignKey(System, on_delete=models.PROTECT, related_name="spare_substitutions",
                               verbose_name=_("系统"))
    from_item = models.ForeignKey(SpareItem, on_delete=models.PROTECT, related_name="substituted_out",
                                  verbose_name=_("被替换备件"))
    from_quantity = models.PositiveIntegerField(_("被替换数量"))
    to_item = models.ForeignKey(SpareItem, on_delete=models.PROTECT, related_name="substituted_in",
                                verbose_name=_("替换为"))
    to_quantity = models.PositiveIntegerField(_("替换数量"))
    total = models.DecimalField(_("总价（元）"), max_digits=14, decimal_places=2)
    reason = models.TextField(_("理由"), blank=True)
    state = models.CharField(_("状态"), max_length=20, choices=SubstitutionState.choices,
                             default=SubstitutionState.PENDING)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("申请时间"))

    scope_unit_field = "system__unit"
    scope_system_field = "system"

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("等价替换")
        verbose_name_plural = _("等价替换")

    def __str__(self) -> str:
        return f"{self.from_item} × {self.from_quantity} → {self.to_item} × {self.to_quantity}"


class StockList(models.Model):
    """The end-of-term stock list of a system, confirmed by the supervisor (SP-11): a frozen snapshot."""

    system = models.ForeignKey(System, on_delete=models.PROTECT, related_name="spare_stock_lists",
                               verbose_name=_("系统"))
    year = models.PositiveSmallIntegerField(_("年度"))
    rows = models.JSONField(_("清单"), default=list)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("生成时间"))

    scope_unit_field = "system__unit"
    scope_system_field = "system"

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("备品备件库存清单")
        verbose_name_plural = _("备品备件库存清单")

    def __str__(self) -> str:
        return f"{self.system} {self.year}"
