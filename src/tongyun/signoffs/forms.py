from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import Decision


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("意见"), choices=Decision.choices)
    comment = forms.CharField(label=_("意见说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    to_position = forms.IntegerField(label=_("退回到环节"), required=False, min_value=0)
