from django import forms
from django.utils.translation import gettext_lazy as _

from tongyun.core.forms import MultipleFileField, MultipleFileInput

from .choices import EntryKind


class ReplacementForm(forms.Form):
    item = forms.ModelChoiceField(label=_("备件"), queryset=None)
    device = forms.ModelChoiceField(label=_("被更换设备"), queryset=None, required=False)
    quantity = forms.IntegerField(label=_("数量"), min_value=1, initial=1)
    reason = forms.CharField(label=_("无法修复的情况"), widget=forms.Textarea(attrs={"rows": 3}))
    proposed_model = forms.CharField(label=_("拟更换型号"), required=False, max_length=100)
    over_cap_reason = forms.CharField(label=_("超量使用理由（超出合同上限时填写，须区经信局批准）"), required=False,
                                      widget=forms.Textarea(attrs={"rows": 2}))
    photos = MultipleFileField(label=_("现场照片"), required=False,
                             widget=MultipleFileInput(attrs={"accept": "image/*", "capture": "environment"}))

    def __init__(self, *args, incident=None, items=None, devices=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = items
        self.fields["device"].queryset = devices
        if incident is not None and incident.device_id:
            self.fields["device"].initial = incident.device_id


class IssueForm(forms.Form):
    warehouse = forms.ModelChoiceField(label=_("出库库房"), queryset=None)
    new_model = forms.CharField(label=_("新设备型号"), required=False, max_length=100)
    new_serial = forms.CharField(label=_("新设备序列号"), required=False, max_length=100)
    installed_on = forms.DateField(label=_("安装日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    removal_reason = forms.CharField(label=_("拆除原因"), widget=forms.Textarea(attrs={"rows": 2}))
    location = forms.CharField(label=_("位置"), max_length=200)
    years_in_use = forms.DecimalField(label=_("使用年限"), required=False, max_digits=5, decimal_places=1, min_value=0)
    kept_at = forms.CharField(label=_("旧件存放处"), max_length=200)

    def __init__(self, *args, warehouses=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["warehouse"].queryset = warehouses


class MovementForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=[(EntryKind.RECEIPT, EntryKind.RECEIPT.label),
                                                      (EntryKind.RETURN, EntryKind.RETURN.label)])
    warehouse = forms.ModelChoiceField(label=_("库房"), queryset=None)
    quantity = forms.IntegerField(label=_("数量"), min_value=1)
    note = forms.CharField(label=_("说明"), required=False, max_length=300)

    def __init__(self, *args, warehouses=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["warehouse"].queryset = warehouses


class SubstitutionForm(forms.Form):
    from_item = forms.ModelChoiceField(label=_("被替换备件"), queryset=None)
    from_quantity = forms.IntegerField(label=_("被替换数量"), min_value=1)
    to_item = forms.ModelChoiceField(label=_("替换为"), queryset=None)
    to_quantity = forms.IntegerField(label=_("替换数量"), min_value=1)
    reason = forms.CharField(label=_("理由"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, items=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["from_item"].queryset = items
        self.fields["to_item"].queryset = items


class RepairForm(forms.Form):
    system = forms.ModelChoiceField(label=_("系统"), queryset=None)
    part = forms.CharField(label=_("维修部件"), max_length=200)
    fault = forms.CharField(label=_("故障情况"), widget=forms.Textarea(attrs={"rows": 2}))
    action = forms.CharField(label=_("维修措施"), widget=forms.Textarea(attrs={"rows": 2}))
    repaired_on = forms.DateField(label=_("维修日期"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, systems=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["system"].queryset = systems


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Excel 文件"))
