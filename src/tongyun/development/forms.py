from django import forms
from django.utils.translation import gettext_lazy as _

from tongyun.catalog.models import System

from .choices import RequestKind


class RequestForm(forms.Form):
    system = forms.ModelChoiceField(label=_("系统"), queryset=System.objects.none())
    kind = forms.ChoiceField(label=_("类型"), choices=RequestKind.choices)
    title = forms.CharField(label=_("需求"), max_length=200)
    description = forms.CharField(label=_("需求说明"), required=False, widget=forms.Textarea(attrs={"rows": 4}))


class ReplyForm(forms.Form):
    estimate = forms.DecimalField(label=_("估算工作量（人月）"), min_value=0.01, max_digits=6, decimal_places=2)
    text = forms.CharField(label=_("答复（方案与工作量说明）"), widget=forms.Textarea(attrs={"rows": 4}))
    separate_agreement = forms.CharField(label=_("另行约定"), required=False,
                                         help_text=_("超出工作量上限时填写另行议定的合同或协议"))


class DeliverForm(forms.Form):
    note = forms.CharField(label=_("交付说明"), widget=forms.Textarea(attrs={"rows": 3}))
