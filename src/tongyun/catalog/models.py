"""The service catalog: systems of the user units, their SLA terms, inspection cadences and devices."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import (
    Category,
    ChangeKind,
    DeploymentKind,
    DeviceClass,
    Frequency,
    InspectionMode,
    Severity,
    SlaForm,
    SystemStatus,
    TermPeriod,
    TimeUnit,
)


class System(models.Model):
    """One row of the service demand table: an information system of a user unit under O&M."""

    row_no = models.PositiveSmallIntegerField(_("序号"), unique=True, null=True, blank=True)
    unit = models.ForeignKey(
        "parties.Organisation", verbose_name=_("用户单位"), on_delete=models.PROTECT, related_name="systems",
        limit_choices_to={"kind": "unit"},
    )
    name = models.CharField(_("系统名称"), max_length=200)
    category = models.CharField(_("类别"), max_length=20, choices=Category.choices, db_index=True)
    description = models.TextField(_("系统简介"), blank=True)
    hardware_text = models.TextField(_("配套硬件"), blank=True)
    deployment = models.CharField(_("部署情况"), max_length=200, blank=True)
    deployment_kind = models.CharField(
        _("部署类型"), max_length=20, choices=DeploymentKind.choices, default=DeploymentKind.OTHER, db_index=True
    )
    service_mode = models.CharField(_("服务方式"), max_length=200, blank=True)
    onsite_staff_text = models.CharField(_("驻场人员要求"), max_length=200, blank=True)
    onsite_staff_count = models.PositiveSmallIntegerField(_("驻场人数"), null=True, blank=True)
    service_start = models.DateField(_("服务开始"), null=True, blank=True, db_index=True)
    service_end = models.DateField(_("服务结束"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=SystemStatus.choices, default=SystemStatus.ACTIVE)
    mlps_text = models.TextField(_("等保测评"), blank=True)
    mlps_level = models.PositiveSmallIntegerField(
        _("等保级别"), null=True, blank=True, db_index=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    mlps_last_assessment_year = models.PositiveSmallIntegerField(_("上次测评年份"), null=True, blank=True)
    mlps_due_this_year = models.BooleanField(_("本年度需测评"), default=False)
    network_power_text = models.TextField(_("配套网络、电力保障"), blank=True)
    duty_required = models.BooleanField(_("有值班要求"), default=False)
    duty_text = models.TextField(_("值班要求"), blank=True)
    major_event_required = models.BooleanField(_("有重保要求"), default=False)
    major_event_text = models.TextField(_("重保要求"), blank=True)
    inspection_text = models.TextField(_("巡检要求"), blank=True)
    work_content = models.TextField(_("运维工作内容"), blank=True)
    sla_text = models.TextField(_("服务保障要求"), blank=True)
    sla_form = models.CharField(_("SLA 形式"), max_length=20, choices=SlaForm.choices, default=SlaForm.SEVERITY_TIERS)
    source_line_start = models.PositiveIntegerField(_("招标文件起始行"), null=True, blank=True)
    source_line_end = models.PositiveIntegerField(_("招标文件结束行"), null=True, blank=True)
    # Where the tender is ambiguous: [{"field": ..., "note": ...}] — the raw words are kept in the text fields.
    flags = models.JSONField(_("待确认事项"), default=list, blank=True)

    scope_unit_field = "unit"
    scope_system_field = "pk"

    class Meta:
        ordering = ["row_no", "id"]
        verbose_name = _("系统")
        verbose_name_plural = _("系统")
        constraints = [models.UniqueConstraint(fields=["unit", "name"], name="catalog_system_unique_name_per_unit")]

    def __str__(self) -> str:
        return self.name


class SlaTerm(models.Model):
    """The targets of one system for one severity (or asset class) as written in the tender."""

    system = models.ForeignKey(System, on_delete=models.CASCADE, related_name="sla_terms")
    position = models.PositiveSmallIntegerField(_("顺序"), default=0)
    severity = models.CharField(_("故障等级"), max_length=20, choices=Severity.choices)
    tier_key = models.CharField(_("等级代码"), max_length=40, help_text=_("minor/general/… 或设备类别代码"))
    tier_label = models.CharField(_("等级名称"), max_length=100, blank=True)
    definition = models.TextField(_("等级定义"), blank=True)
    response_value = models.DecimalField(_("响应时限"), max_digits=8, decimal_places=2, null=True, blank=True)
    response_unit = models.CharField(_("响应时限单位"), max_length=20, choices=TimeUnit.choices, blank=True)
    arrival_value = models.DecimalField(_("到场时限"), max_digits=8, decimal_places=2, null=True, blank=True)
    arrival_unit = models.CharField(_("到场时限单位"), max_length=20, choices=TimeUnit.choices, blank=True)
    repair_value = models.DecimalField(_("修复时限"), max_digits=8, decimal_places=2, null=True, blank=True)
    repair_unit = models.CharField(_("修复时限单位"), max_length=20, choices=TimeUnit.choices, blank=True)
    restore_value = models.DecimalField(_("应急恢复时限"), max_digits=8, decimal_places=2, null=True, blank=True)
    restore_unit = models.CharField(_("应急恢复时限单位"), max_length=20, choices=TimeUnit.choices, blank=True)
    text = models.TextField(_("原文"), blank=True)
    notes = models.TextField(_("备注"), blank=True)
    # Some rows measure repair from arrival on site, or set other targets outside business hours.
    repair_from_arrival = models.BooleanField(_("修复时限自到场起算"), default=False)
    applies_when = models.CharField(_("适用时段"), max_length=30, choices=TermPeriod.choices,
                                    default=TermPeriod.ALWAYS)

    scope_unit_field = "system__unit"
    scope_system_field = "system"

    class Meta:
        ordering = ["system", "position"]
        verbose_name = _("SLA 条款")
        verbose_name_plural = _("SLA 条款")
        constraints = [
            models.UniqueConstraint(fields=["system", "tier_key"], name="catalog_slaterm_unique_tier"),
        ]

    def __str__(self) -> str:
        return f"{self.system} · {self.tier_label or self.get_severity_display()}"

    def _target(self, kind: str) -> str:
        value, unit = getattr(self, f"{kind}_value"), getattr(self, f"{kind}_unit")
        if value is None:
            return ""
        return f"{value.normalize():f} {TimeUnit(unit).label}" if unit else f"{value.normalize():f}"

    # "4 小时", "7 工作日": how the targets read on pages and in exports
    response_display = property(lambda self: self._target("response"))
    arrival_display = property(lambda self: self._target("arrival"))
    repair_display = property(lambda self: self._target("repair"))
    restore_display = property(lambda self: self._target("restore"))


class InspectionCadence(models.Model):
    """How often the tender says a system is inspected, and how (remote/on site)."""

    system = models.ForeignKey(System, on_delete=models.CASCADE, related_name="inspection_cadences")
    frequency = models.CharField(_("频次"), max_length=20, choices=Frequency.choices)
    mode = models.CharField(
        _("方式"), max_length=20, choices=InspectionMode.choices, default=InspectionMode.UNSPECIFIED
    )
    text = models.TextField(_("原文"), blank=True)
    # the tender's number for 每 N 天 / N 次/年 (an RRULE; empty: the frequency's own rule)
    rrule = models.CharField(_("重复规则（RRULE）"), max_length=200, blank=True)

    scope_unit_field = "system__unit"
    scope_system_field = "system"

    class Meta:
        ordering = ["system", "id"]
        verbose_name = _("巡检频次")
        verbose_name_plural = _("巡检频次")

    def __str__(self) -> str:
        return f"{self.system} · {self.get_frequency_display()}"


class Device(models.Model):
    """A configuration item: one real device (with its code), or — as the tender lists them — a group of
    identical devices counted together (`quantity`, `source_text` holding the tender's words)."""

    system = models.ForeignKey(System, on_delete=models.CASCADE, related_name="devices")
    code = models.CharField(_("设备编码"), max_length=64, blank=True, db_index=True,
                            help_text=_("平台内唯一；重新导入时按编码更新"))
    device_class = models.CharField(_("设备大类"), max_length=20, choices=DeviceClass.choices,
                                    default=DeviceClass.OTHER, db_index=True)
    kind = models.CharField(_("设备类型"), max_length=100)
    model = models.CharField(_("型号"), max_length=100, blank=True)
    name = models.CharField(_("名称/编号"), max_length=200, blank=True)
    serial_number = models.CharField(_("序列号"), max_length=100, blank=True)
    quantity = models.PositiveIntegerField(_("数量"), default=1)
    location = models.CharField(_("位置"), max_length=200, blank=True, help_text=_("安装地址"))
    town = models.CharField(_("镇街"), max_length=50, blank=True, db_index=True)
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True,
                                   validators=[MinValueValidator(-90), MaxValueValidator(90)])
    longitude = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, null=True, blank=True,
                                    validators=[MinValueValidator(-180), MaxValueValidator(180)])
    ip_address = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)
    gb28181_id = models.CharField(_("国标编码"), max_length=20, blank=True, db_index=True,
                                  validators=[RegexValidator(r"^\d{20}$", _("GB/T 28181 编码应为 20 位数字"))],
                                  help_text=_("GB/T 28181 设备编码（20 位数字）"))
    install_date = models.DateField(_("安装日期"), null=True, blank=True)
    warranty_until = models.DateField(_("质保截止"), null=True, blank=True)
    upstream = models.ForeignKey(
        "self", verbose_name=_("上联设备"), on_delete=models.SET_NULL, null=True, blank=True, related_name="downstream"
    )
    source_text = models.TextField(_("招标原文"), blank=True)

    scope_unit_field = "system__unit"
    scope_system_field = "system"

    class Meta:
        ordering = ["id"]
        verbose_name = _("设备")
        verbose_name_plural = _("设备")
        # the alert path finds devices by IP, name or serial number (monitoring.ingestion._resolve_devices)
        indexes = [models.Index(fields=["system", "kind"]), models.Index(fields=["ip_address"]),
                   models.Index(fields=["name"], name="catalog_device_name"),
                   models.Index(fields=["serial_number"], name="catalog_device_serial")]
        constraints = [
            models.UniqueConstraint(fields=["code"], condition=~models.Q(code=""), name="catalog_device_unique_code"),
        ]

    def __str__(self) -> str:
        return self.name or self.code or f"{self.kind} {self.model}".strip()


class SystemChange(models.Model):
    """A change of a system during the service year (upgrade, shutdown, new start date …)."""

    system = models.ForeignKey(System, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(_("变更类型"), max_length=20, choices=ChangeKind.choices)
    effective_date = models.DateField(_("生效日期"))
    description = models.TextField(_("说明"))
    before = models.JSONField(_("变更前"), default=dict)
    after = models.JSONField(_("变更后"), default=dict)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    scope_unit_field = "system__unit"
    scope_system_field = "system"

    class Meta:
        ordering = ["-effective_date", "-id"]
        verbose_name = _("系统变更")
        verbose_name_plural = _("系统变更")

    def __str__(self) -> str:
        return f"{self.system} · {self.get_kind_display()} · {self.effective_date:%Y-%m-%d}"

    def field_changes(self) -> list[tuple[str, object, object]]:
        """(field, before, after) for each field the change set."""
        return [(field, self.before.get(field), value) for field, value in self.after.items()]


class Assignment(models.Model):
    """A contractor field staff member assigned to a system; scoping of field roles follows it."""

    system = models.ForeignKey(System, on_delete=models.CASCADE, related_name="assignments")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assignments")
    since = models.DateField(_("起始日期"), null=True, blank=True)

    scope_unit_field = "system__unit"
    scope_system_field = "system"

    class Meta:
        verbose_name = _("人员分派")
        verbose_name_plural = _("人员分派")
        constraints = [models.UniqueConstraint(fields=["system", "user"], name="catalog_assignment_unique")]

    def __str__(self) -> str:
        return f"{self.user} → {self.system}"
