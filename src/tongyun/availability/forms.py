import re

from django import forms
from django.utils.translation import gettext_lazy as _

from tongyun.catalog.choices import Category
from tongyun.catalog.models import Device, System
from tongyun.core.scoping import scoped
from tongyun.incidents.models import Incident
from tongyun.monitoring.choices import FaultKind

from .choices import AcceptedOutageKind, ApprovalState
from .services import MANUAL_CAUSES

MOMENT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def _moment_field(label, required=True):
    return forms.DateTimeField(label=label, required=required, widget=MOMENT,
                               input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"])


class MonthForm(forms.Form):
    month = forms.CharField(required=False, label=_("月份"), widget=forms.TextInput(attrs={"type": "month"}))
    group_by = forms.ChoiceField(choices=[("system", _("按系统")), ("unit", _("按用户单位"))], required=False,
                                 label=_("统计方式"))
    category = forms.ChoiceField(choices=[("", "—"), *Category.choices], required=False, label=_("类别"))


class DeviceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, device):
        extra = f" ×{device.quantity}" if device.quantity > 1 else ""
        where = f" · {device.location}" if device.location else ""
        return f"{device}{extra}{where}"


class _SystemRequestForm(forms.Form):
    system = forms.ModelChoiceField(queryset=System.objects.none(), label=_("系统"))
    devices = forms.ModelMultipleChoiceField(queryset=Device.objects.none(), required=False, label=_("设备"),
                                             help_text=_("留空表示系统的全部设备"))
    start = _moment_field(_("开始"))
    end = _moment_field(_("结束"))

    def __init__(self, user, *args, system=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["system"].queryset = scoped(System.objects.order_by("row_no"), user)
        if system is not None:
            self.fields["system"].initial = system.pk
            self.fields["devices"].queryset = scoped(Device.objects.filter(system=system), user).order_by("kind",
                                                                                                          "id")
        else:
            del self.fields["devices"]


class WindowForm(_SystemRequestForm):
    reason = forms.CharField(label=_("事由"), widget=forms.Textarea(attrs={"rows": 3}))


class AcceptedOutageForm(_SystemRequestForm):
    kind = forms.ChoiceField(choices=AcceptedOutageKind.choices, label=_("类型"))
    description = forms.CharField(label=_("说明"), widget=forms.Textarea(attrs={"rows": 3}))
    evidence = forms.FileField(label=_("证明材料"),
                               help_text=_("施工通知、气象预警、照片等（PDF、图片、Office 文档，≤ 20 MB）"))


class DecisionForm(forms.Form):
    note = forms.CharField(required=False, label=_("意见"), widget=forms.TextInput())


class RequestFilterForm(forms.Form):
    state = forms.ChoiceField(choices=[("", "—"), *ApprovalState.choices], required=False, label=_("状态"))
    system = forms.ModelChoiceField(queryset=System.objects.none(), required=False, label=_("系统"))
    month = forms.CharField(required=False, label=_("月份"), widget=forms.TextInput(attrs={"type": "month"}))

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["system"].queryset = scoped(System.objects.order_by("row_no"), user)


class SystemPickForm(forms.Form):
    system = forms.ModelChoiceField(queryset=System.objects.none(), label=_("系统"))

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["system"].queryset = scoped(System.objects.order_by("row_no"), user)


class OutageForm(forms.Form):
    """A device outage found by an inspection or an incident, recorded by hand."""

    device = DeviceChoiceField(queryset=Device.objects.none(), label=_("设备"))
    start = _moment_field(_("开始"))
    end = _moment_field(_("结束"), required=False)
    fault = forms.ChoiceField(
        choices=FaultKind.choices, label=_("故障类型"),
        help_text=_("招标文件的故障定义：功能丧失或部分丧失、图像质量不达标（GB 50348-2018）、镜头污损、离线"))
    cause = forms.ChoiceField(choices=[(c.value, c.label) for c in MANUAL_CAUSES], label=_("来源"))
    incident = forms.CharField(required=False, label=_("工单号"),
                               help_text=_("来源为故障工单时填写（可选），如 GZ2026-000123"))
    note = forms.CharField(required=False, label=_("备注"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, user, system, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.system = system
        self.user = user
        self.fields["device"].queryset = scoped(Device.objects.filter(system=system), user).order_by("kind", "id")
        self.fields["end"].help_text = _("留空表示仍未恢复")

    def clean_incident(self):
        number = (self.cleaned_data.get("incident") or "").strip()
        if not number:
            return None
        match = re.fullmatch(r"(?:GZ\d{4}-)?0*(\d+)", number, flags=re.IGNORECASE)
        incident = match and scoped(Incident.objects.filter(system=self.system, pk=int(match.group(1))),
                                    self.user).first()
        if not incident or incident.number.upper() != number.upper() and not number.isdigit():
            raise forms.ValidationError(_("该系统没有此工单"))
        return incident

