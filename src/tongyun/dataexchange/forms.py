from django import forms
from django.utils.translation import gettext_lazy as _

from tongyun.catalog.models import System

from .choices import InterfaceKind


class ResourceForm(forms.Form):
    system = forms.ModelChoiceField(label=_("系统"), queryset=System.objects.none())
    name = forms.CharField(label=_("数据资源"), max_length=200)
    data_format = forms.CharField(label=_("数据格式"), max_length=100, required=False)
    interface = forms.ChoiceField(label=_("对接方式"), choices=InterfaceKind.choices)
    frequency = forms.CharField(label=_("更新频率"), max_length=60, required=False)
    daily_pushes = forms.IntegerField(label=_("每日应推送次数"), min_value=0, max_value=100000, initial=0)


class PushForm(forms.Form):
    day = forms.DateField(label=_("日期"), widget=forms.DateInput(attrs={"type": "date"}))
    expected = forms.IntegerField(label=_("应推送"), min_value=0, max_value=10**7)
    succeeded = forms.IntegerField(label=_("推送成功"), min_value=0, max_value=10**7)
    on_time = forms.IntegerField(label=_("及时推送"), min_value=0, max_value=10**7)
