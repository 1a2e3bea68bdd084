"""Contract money: the contract, fees per system and their adjustments, memoranda with their rules,
evaluations with their items and objections, penalties and payments.

Approvals and signatures are sign-offs (tongyun.signoffs), never fields of these models. Settlement is
computed (selectors), not stored.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import (
    AdjustmentKind,
    Comparison,
    Consequence,
    Cycle,
    EvaluationState,
    Instalment,
    MemorandumState,
    Mode,
    ObjectionState,
    PaymentState,
    PenaltyCategory,
    PenaltyState,
)

MONEY = {"max_digits": 14, "decimal_places": 2}


class Contract(models.Model):
    """The O&M contract of the district (one in force; the model allows the next year's)."""

    number = models.CharField(_("合同编号"), max_length=60, unique=True)
    title = models.CharField(_("合同名称"), max_length=200)
    purchaser = models.CharField(_("甲方"), max_length=200)
    contractor = models.CharField(_("乙方"), max_length=200)
    signed_on = models.DateField(_("签订日期"))
    effective_on = models.DateField(_("生效日期"))
    price = models.DecimalField(_("合同总价（元）"), **MONEY)
    period_start = models.DateField(_("服务期开始"))
    period_end = models.DateField(_("服务期结束"))
    finance_reviewed_on = models.DateField(_("财政结算评审通过日期"), null=True, blank=True)
    reviewed_amount = models.DecimalField(_("评审金额（元）"), null=True, blank=True, **MONEY)

    class Meta:
        ordering = ["-period_start"]
        verbose_name = _("运维合同")
        verbose_name_plural = _("运维合同")

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class SystemFee(models.Model):
    """The bid price of one system for the service period (分系统报价); its history is the audit log."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="fees")
    system = models.ForeignKey("catalog.System", on_delete=models.PROTECT, related_name="contract_fees",
                               verbose_name=_("系统"))
    annual_fee = models.DecimalField(_("年度服务费（元）"), **MONEY)
    note = models.CharField(_("备注"), max_length=200, blank=True)

    scope_unit_field = "system__unit"
    scope_system_field = "system"

    class Meta:
        ordering = ["system__row_no", "system_id"]
        constraints = [models.UniqueConstraint(fields=["contract", "system"], name="contracts_one_fee_per_system")]
        verbose_name = _("系统服务费")
        verbose_name_plural = _("系统服务费")

    def __str__(self) -> str:
        return f"{self.system} {self.annual_fee}"


class FeeAdjustment(models.Model):
    """A change of a system's service (from the catalog's recorded changes) and what it does to the fee."""

    fee = models.ForeignKey(SystemFee, on_delete=models.CASCADE, related_name="adjustments")
    change = models.OneToOneField("catalog.SystemChange", on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="fee_adjustment")
    kind = models.CharField(_("调整类型"), max_length=20, choices=AdjustmentKind.choices)
    effective_date = models.DateField(_("生效日期"))
    service_start = models.DateField(_("服务开始"), null=True, blank=True)
    service_end = models.DateField(_("服务结束"), null=True, blank=True)
    new_annual_fee = models.DecimalField(_("调整后年度费用（元）"), null=True, blank=True, **MONEY,
                                         help_text=_("升级改造或新增时重新定价；停运、延后开始留空"))
    computed_fee = models.DecimalField(_("按服务天数折算（元）"), **MONEY)
    computation = models.CharField(_("计算过程"), max_length=300)
    override_fee = models.DecimalField(_("甲方核定金额（元）"), null=True, blank=True, **MONEY)
    override_reason = models.TextField(_("核定理由"), blank=True)
    bureau_notice_on = models.DateField(_("甲方书面通知日期"), null=True, blank=True)
    unit_notice_on = models.DateField(_("用户单位书面通知日期"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    scope_unit_field = "fee__system__unit"
    scope_system_field = "fee__system"

    class Meta:
        ordering = ["effective_date", "id"]
        verbose_name = _("服务费调整")
        verbose_name_plural = _("服务费调整")

    def __str__(self) -> str:
        return f"{self.fee.system} · {self.get_kind_display()} {self.effective_date}"

    @property
    def adjusted_fee(self):
        return self.override_fee if self.override_fee is not None else self.computed_fee


class Memorandum(models.Model):
    """The management memorandum of one system (管理备忘录), one version; in force from its effective month
    once the bureau, the unit and the contractor have signed (sign-off "contracts.memorandum")."""

    system = models.ForeignKey("catalog.System", on_delete=models.PROTECT, related_name="memoranda",
                               verbose_name=_("系统"))
    version = models.PositiveSmallIntegerField(_("版本"), default=1)
    effective_month = models.DateField(_("生效月份"), help_text=_("该月第一天；规则不溯及既往"))
    cycle = models.CharField(_("考核周期"), max_length=20, choices=Cycle.choices, default=Cycle.MONTHLY)
    standard = models.TextField(_("考核标准"), blank=True)
    cap_fee_percent = models.DecimalField(_("月度扣款上限（月服务费 %）"), max_digits=5, decimal_places=2,
                                          null=True, blank=True)
    state = models.CharField(_("状态"), max_length=20, choices=MemorandumState.choices,
                             default=MemorandumState.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    scope_unit_field = "system__unit"
    scope_system_field = "system"

    class Meta:
        ordering = ["system__row_no", "-version"]
        constraints = [models.UniqueConstraint(fields=["system", "version"], name="contracts_memo_version")]
        verbose_name = _("管理备忘录")
        verbose_name_plural = _("管理备忘录")

    def __str__(self) -> str:
        return f"{self.system} · v{self.version} ({self.effective_month:%Y-%m})"

    def get_absolute_url(self) -> str:
        return reverse("contracts:memorandum_detail", args=[self.pk])


class Rule(models.Model):
    """One assessment rule: an indicator (a fact key, or "manual"), a threshold, a consequence, caps."""

    memorandum = models.ForeignKey(Memorandum, on_delete=models.CASCADE, related_name="rules")
    position = models.PositiveSmallIntegerField(_("顺序"), default=0)
    indicator = models.CharField(_("指标"), max_length=80, help_text=_("事实键，如 incidents.repair_met_pct；"
                                                                       "manual 为人工评定项"))
    label = models.CharField(_("名称"), max_length=200)
    comparison = models.CharField(_("判定"), max_length=10, choices=Comparison.choices)
    threshold = models.DecimalField(_("阈值"), max_digits=12, decimal_places=2, default=0)
    mode = models.CharField(_("计量"), max_length=10, choices=Mode.choices, default=Mode.ONCE)
    consequence = models.CharField(_("后果"), max_length=10, choices=Consequence.choices)
    value = models.DecimalField(_("扣减值"), max_digits=12, decimal_places=2)
    cap_amount = models.DecimalField(_("单项扣款上限（元）"), null=True, blank=True, **MONEY)
    cap_points = models.DecimalField(_("单项扣分上限"), max_digits=6, decimal_places=2, null=True, blank=True)
    custom = models.BooleanField(_("单位自设指标"), default=False)

    scope_unit_field = "memorandum__system__unit"
    scope_system_field = "memorandum__system"

    class Meta:
        ordering = ["memorandum", "position", "id"]

    def __str__(self) -> str:
        return self.label


class Evaluation(models.Model):
    """One unit's evaluation of the contractor for one period (考核记录), one version."""

    unit = models.ForeignKey("parties.Organisation", on_delete=models.PROTECT, related_name="evaluations",
                             verbose_name=_("用户单位"))
    month = models.DateField(_("考核月份"), help_text=_("周期第一天"))
    version = models.PositiveSmallIntegerField(_("版本"), default=1)
    state = models.CharField(_("状态"), max_length=20, choices=EvaluationState.choices,
                             default=EvaluationState.DRAFT, db_index=True)
    comment = models.TextField(_("单位意见"), blank=True)
    objection_due_at = models.DateTimeField(_("申诉期限"), null=True, blank=True)
    published_at = models.DateTimeField(_("提交服务商时间"), null=True, blank=True)
    prefilled_at = models.DateTimeField(_("预填时间"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    supersedes = models.OneToOneField("self", on_delete=models.PROTECT, null=True, blank=True,
                                      related_name="superseded_by")

    scope_unit_field = "unit"
    scope_system_field = None

    class Meta:
        ordering = ["-month", "unit_id", "-version"]
        constraints = [models.UniqueConstraint(fields=["unit", "month", "version"], name="contracts_eval_version")]
        verbose_name = _("考核记录")
        verbose_name_plural = _("考核记录")

    def __str__(self) -> str:
        return f"{self.unit} {self.month:%Y-%m} v{self.version}"

    def get_absolute_url(self) -> str:
        return reverse("contracts:evaluation_detail", args=[self.pk])

    @property
    def editable(self) -> bool:
        return self.state in (EvaluationState.DRAFT, EvaluationState.PUBLISHED)


class EvaluationItem(models.Model):
    """One rule applied to one system in the evaluation, with the fact value it used (snapshot)."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="items")
    system = models.ForeignKey("catalog.System", on_delete=models.PROTECT, related_name="+", verbose_name=_("系统"))
    rule = models.ForeignKey(Rule, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    memorandum = models.ForeignKey(Memorandum, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    indicator = models.CharField(_("指标"), max_length=80)
    label = models.CharField(_("名称"), max_length=200)
    fact_value = models.JSONField(_("事实值"), null=True, blank=True)  # None: not measured
    measured = models.BooleanField(_("已计量"), default=False)
    period_months = models.PositiveSmallIntegerField(_("考核期（月）"), default=1,
                                                     help_text=_("1：按月；3：按季度（本季度三个月的事实与服务费）"))
    monthly_fee = models.DecimalField(_("月服务费（元）"), **MONEY)  # the period's fee (3 months when quarterly)
    computed_points = models.DecimalField(_("预填扣分"), max_digits=8, decimal_places=2, default=0)
    computed_amount = models.DecimalField(_("预填扣款（元）"), default=0, **MONEY)
    points = models.DecimalField(_("扣分"), max_digits=8, decimal_places=2, default=0)
    amount = models.DecimalField(_("扣款（元）"), default=0, **MONEY)
    adjust_reason = models.TextField(_("调整理由"), blank=True)
    comment = models.TextField(_("说明"), blank=True)

    scope_unit_field = "evaluation__unit"
    scope_system_field = "system"

    class Meta:
        ordering = ["evaluation", "system__row_no", "id"]

    def __str__(self) -> str:
        return f"{self.system} · {self.label}"

    @property
    def adjusted(self) -> bool:
        return self.points != self.computed_points or self.amount != self.computed_amount


class Objection(models.Model):
    """The contractor's objection (申诉) to one item, with evidence; the unit decides, the bureau mediates."""

    item = models.ForeignKey(EvaluationItem, on_delete=models.CASCADE, related_name="objections")
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    raised_at = models.DateTimeField(default=timezone.now)
    text = models.TextField(_("申诉理由"))
    evidence = models.FileField(_("证据"), upload_to="contracts/objections/%Y/%m/", blank=True)
    requested_amount = models.DecimalField(_("申请扣款改为（元）"), default=0, **MONEY)
    state = models.CharField(_("状态"), max_length=20, choices=ObjectionState.choices, default=ObjectionState.OPEN)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(_("处理意见"), blank=True)

    scope_unit_field = "item__evaluation__unit"
    scope_system_field = "item__system"

    class Meta:
        ordering = ["raised_at", "id"]

    def __str__(self) -> str:
        return f"{self.item} · {self.get_state_display()}"


class PenaltyCase(models.Model):
    """A penalty case (违约金, EV-07, EV-08); decided by the bureau (sign-off "contracts.penalty")."""

    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="penalties")
    category = models.CharField(_("违约情形"), max_length=30, choices=PenaltyCategory.choices)
    unit = models.ForeignKey("parties.Organisation", on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("用户单位"))
    system = models.ForeignKey("catalog.System", on_delete=models.PROTECT, null=True, blank=True,
                               related_name="+", verbose_name=_("系统"))
    occurred_on = models.DateField(_("发生日期"))
    description = models.TextField(_("事实描述"))
    evidence = models.FileField(_("证据"), upload_to="contracts/penalties/%Y/%m/", blank=True)
    rate_percent = models.DecimalField(_("比例（%）"), max_digits=5, decimal_places=2)
    amount = models.DecimalField(_("违约金（元）"), **MONEY)
    state = models.CharField(_("状态"), max_length=20, choices=PenaltyState.choices, default=PenaltyState.PROPOSED)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    scope_unit_field = "unit"
    scope_system_field = "system"

    class Meta:
        ordering = ["-occurred_on", "-id"]
        verbose_name = _("违约金")
        verbose_name_plural = _("违约金")

    def __str__(self) -> str:
        return f"{self.get_category_display()} {self.occurred_on}"

    def get_absolute_url(self) -> str:
        return reverse("contracts:penalty_detail", args=[self.pk])


class Payment(models.Model):
    """One instalment of the contract price (EV-06) with its invoice and status."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="payments")
    instalment = models.PositiveSmallIntegerField(_("期次"), choices=Instalment.choices)
    invoice_number = models.CharField(_("增值税发票号"), max_length=60, blank=True)
    invoice_received_on = models.DateField(_("收到发票日期"), null=True, blank=True)
    paid_on = models.DateField(_("支付日期"), null=True, blank=True)
    paid_amount = models.DecimalField(_("支付金额（元）"), null=True, blank=True, **MONEY)

    class Meta:
        ordering = ["contract", "instalment"]
        constraints = [models.UniqueConstraint(fields=["contract", "instalment"], name="contracts_one_instalment")]

    def __str__(self) -> str:
        return f"{self.contract.number} · {self.get_instalment_display()}"

    @property
    def state(self) -> str:
        return PaymentState.PAID if self.paid_on else PaymentState.DUE
