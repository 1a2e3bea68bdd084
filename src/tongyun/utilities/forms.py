from django import forms
from django.utils.translation import gettext_lazy as _

from .models import SupplyPoint


class SupplyPointForm(forms.ModelForm):
    class Meta:
        model = SupplyPoint
        fields = ["system", "name", "account_number", "meter_number", "address", "supplier", "devices"]


class BillForm(forms.Form):
    supply_point = forms.ModelChoiceField(label=_("供电点"), queryset=SupplyPoint.objects.none())
    month = forms.DateField(label=_("账期"), input_formats=["%Y-%m", "%Y-%m-%d"],
                            widget=forms.DateInput(attrs={"type": "month"}))
    kwh = forms.DecimalField(label=_("用电量（kWh）"), min_value=0, max_digits=12, decimal_places=2)
    amount = forms.DecimalField(label=_("金额（元）"), min_value=0, max_digits=12, decimal_places=2)
    paid_on = forms.DateField(label=_("缴费日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    scan = forms.FileField(label=_("账单扫描件"), required=False)
    note = forms.CharField(label=_("备注"), required=False)

    def __init__(self, *args, supply_points=None, **kwargs):
        super().__init__(*args, **kwargs)
        if supply_points is not None:
            self.fields["supply_point"].queryset = supply_points


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Excel 文件"))
