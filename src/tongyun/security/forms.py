from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tongyun.catalog.models import System
from tongyun.core.scoping import scoped
from tongyun.parties.choices import Role

from .choices import (
    Conclusion,
    DutyCategory,
    ExpiringItemKind,
    FindingSeverity,
    FindingSource,
    LimitUnit,
    VulnerabilitySource,
)
from .models import SoftwareItem, Vulnerability

DATE = forms.DateInput(attrs={"type": "date"})
MOMENT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
CONTRACTOR = [Role.PROJECT_MANAGER, Role.DISPATCHER, Role.ENGINEER, Role.ONSITE_STAFF, Role.ELECTRICIAN,
              Role.SECURITY_OFFICER]


class SystemField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.row_no or '-'} · {obj.name}（{obj.unit.name}）"


def _systems(user):
    return scoped(System.objects.select_related("unit").order_by("row_no"), user)


class SelectForm(forms.Form):
    system = SystemField(label=_("系统"), queryset=System.objects.none())

    def __init__(self, *args, systems=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["system"].queryset = systems if systems is not None else System.objects.none()


class AdvanceForm(forms.Form):
    completed_on = forms.DateField(label=_("完成日期"), widget=DATE)
    assessor = forms.CharField(label=_("测评机构"), max_length=200, required=False)
    note = forms.CharField(label=_("说明"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    report = forms.FileField(label=_("测评报告"), required=False)
    score = forms.DecimalField(label=_("测评得分"), max_digits=5, decimal_places=2, required=False)
    conclusion = forms.ChoiceField(label=_("测评结论"), choices=[("", "—"), *Conclusion.choices], required=False)


class FindingForm(forms.Form):
    system = SystemField(label=_("系统"), queryset=System.objects.none())
    title = forms.CharField(label=_("问题"), max_length=200)
    severity = forms.ChoiceField(label=_("风险等级"), choices=FindingSeverity.choices)
    source = forms.ChoiceField(label=_("来源"), choices=FindingSource.choices)
    description = forms.CharField(label=_("说明"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    found_at = forms.DateTimeField(label=_("发现时间"), widget=MOMENT, input_formats=["%Y-%m-%dT%H:%M"])
    limit_value = forms.IntegerField(label=_("整改时限"), min_value=1, initial=24)
    limit_unit = forms.ChoiceField(label=_("时限单位"), choices=LimitUnit.choices, initial=LimitUnit.HOUR)
    owner = forms.ModelChoiceField(label=_("责任人"), queryset=get_user_model().objects.none(), required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["system"].queryset = _systems(user)
        self.fields["owner"].queryset = get_user_model().objects.filter(
            is_active=True, role__in=CONTRACTOR).order_by("username")
        if not self.is_bound:
            self.initial.setdefault("found_at", timezone.localtime().replace(second=0, microsecond=0))


class FixForm(forms.Form):
    description = forms.CharField(label=_("整改情况"), widget=forms.Textarea(attrs={"rows": 3}))
    evidence = forms.FileField(label=_("整改证明"))


class VerifyForm(forms.Form):
    accepted = forms.TypedChoiceField(label=_("验证结果"), coerce=lambda v: v == "1",
                                      choices=[("1", _("验证通过")), ("0", _("退回重新整改"))])
    note = forms.CharField(label=_("说明"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class ItemForm(forms.Form):
    system = SystemField(label=_("系统"), queryset=System.objects.none())
    kind = forms.ChoiceField(label=_("类别"), choices=ExpiringItemKind.choices)
    name = forms.CharField(label=_("名称"), max_length=200)
    quantity = forms.IntegerField(label=_("数量"), min_value=1, initial=1)
    expires_on = forms.DateField(label=_("到期日"), widget=DATE, required=False)
    replace_every_months = forms.IntegerField(label=_("更换周期（月）"), min_value=1, required=False)
    last_replaced_on = forms.DateField(label=_("上次更换"), widget=DATE, required=False)
    renew_lead_months = forms.IntegerField(label=_("提前续期（月）"), min_value=0, initial=1)
    install_window_days = forms.IntegerField(label=_("到期前安装（天）"), min_value=0, initial=0)
    issuer = forms.CharField(label=_("签发/供应方"), max_length=200, required=False)
    note = forms.CharField(label=_("备注"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["system"].queryset = _systems(user)


class RenewForm(forms.Form):
    expires_on = forms.DateField(label=_("新到期日"), widget=DATE, required=False)
    replaced_on = forms.DateField(label=_("更换日期"), widget=DATE, required=False)
    note = forms.CharField(label=_("说明"), required=False)


class CompleteForm(forms.Form):
    done_on = forms.DateField(label=_("完成日期"), widget=DATE)
    result = forms.CharField(label=_("执行结果"), widget=forms.Textarea(attrs={"rows": 2}))
    evidence = forms.FileField(label=_("记录/证明"), required=False)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Excel 文件"))


class VulnerabilityForm(forms.Form):
    system = SystemField(label=_("系统"), queryset=System.objects.none())
    title = forms.CharField(label=_("漏洞"), max_length=200)
    cve = forms.CharField(label=_("CVE 编号"), max_length=30, required=False)
    severity = forms.ChoiceField(label=_("风险等级"), choices=FindingSeverity.choices)
    source = forms.ChoiceField(label=_("来源"), choices=VulnerabilitySource.choices)
    found_on = forms.DateField(label=_("发现日期"), widget=DATE)
    fixed_on = forms.DateField(label=_("修复日期"), widget=DATE, required=False)
    note = forms.CharField(label=_("备注"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["system"].queryset = _systems(user)


class PatchForm(forms.Form):
    system = SystemField(label=_("系统"), queryset=System.objects.none())
    name = forms.CharField(label=_("补丁"), max_length=200)
    applied_at = forms.DateTimeField(label=_("安装时间"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
                                     required=False)
    restarted = forms.BooleanField(label=_("已重启"), required=False)
    reconfigured = forms.BooleanField(label=_("已重新配置"), required=False)
    software = forms.ModelChoiceField(label=_("所属软件"), queryset=SoftwareItem.objects.none(), required=False)
    vulnerability = forms.ModelChoiceField(label=_("修复的漏洞"), queryset=Vulnerability.objects.none(),
                                           required=False, help_text=_("选择后记录该漏洞的修复日期"))
    note = forms.CharField(label=_("备注"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["system"].queryset = _systems(user)
        # only the viewer's systems' components and open vulnerabilities; the service checks the system matches
        self.fields["software"].queryset = scoped(SoftwareItem.objects.select_related("system")
                                                  .order_by("system__row_no", "name"), user)
        self.fields["vulnerability"].queryset = scoped(Vulnerability.objects.filter(fixed_on__isnull=True)
                                                       .select_related("system").order_by("system__row_no", "-id"),
                                                       user)
        self.fields["software"].label_from_instance = lambda o: f"{o.system.name} · {o.name} {o.version}".strip()
        self.fields["vulnerability"].label_from_instance = (
            lambda o: f"{o.system.name} · {o.title}{f'（{o.cve}）' if o.cve else ''}")


class DutyForm(forms.Form):
    """A recurring task or contractual duty the seeded tender list lacks (a unit's own, a later agreement)."""

    system = SystemField(label=_("系统"), queryset=System.objects.none())
    category = forms.ChoiceField(label=_("类别"), choices=DutyCategory.choices)
    name = forms.CharField(label=_("事项"), max_length=200)
    key = forms.SlugField(label=_("代码"), max_length=50, help_text=_("同一系统内唯一，例如 ups-cycling"))
    cadence = forms.CharField(label=_("频次"), max_length=100, help_text=_("如：每 2 个月一次"))
    rrule = forms.CharField(label=_("重复规则（RFC 5545）"), max_length=200,
                            help_text=_("如 FREQ=MONTHLY;INTERVAL=2 或 FREQ=YEARLY;BYMONTH=3,9"))
    tender_text = forms.CharField(label=_("依据（原文）"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    source_lines = forms.CharField(label=_("出处"), max_length=100, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["system"].queryset = _systems(user)
