from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import Channel


class DeliverForm(forms.Form):
    handed_over_on = forms.DateField(label=_("移交日期"), widget=forms.DateInput(attrs={"type": "date"}))
    detail = forms.CharField(label=_("移交说明"), required=False, max_length=2000, widget=forms.Textarea,
                             help_text=_("份数、介质、存放位置等；不得填写口令"))
    channel = forms.ChoiceField(label=_("移交渠道（账号与口令）"), required=False,
                                choices=[("", "—"), *Channel.choices])
    account_count = forms.IntegerField(label=_("账号数量"), required=False, min_value=1, max_value=100000)


class ObstructionForm(forms.Form):
    occurred_on = forms.DateField(label=_("发生日期"), widget=forms.DateInput(attrs={"type": "date"}))
    description = forms.CharField(label=_("事实描述"), max_length=5000, widget=forms.Textarea)
    item = forms.TypedChoiceField(label=_("涉及事项"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].choices = [("", "—"), *[(i.pk, i.get_kind_display()) for i in items]]
