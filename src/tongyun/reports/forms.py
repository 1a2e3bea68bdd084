from django import forms
from django.utils.translation import gettext_lazy as _

from tongyun.catalog.models import System

from .selectors import type_choices


class CreateForm(forms.Form):
    type = forms.ChoiceField(label=_("报告类型"), choices=())
    period_start = forms.DateField(label=_("期间开始"), widget=forms.DateInput(attrs={"type": "date"}))
    period_end = forms.DateField(label=_("期间结束"), widget=forms.DateInput(attrs={"type": "date"}))
    system = forms.ModelChoiceField(label=_("系统"), queryset=System.objects.none(), required=False)

    def __init__(self, *args, systems=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["type"].choices = type_choices()
        if systems is not None:
            self.fields["system"].queryset = systems


class NarrativesForm(forms.Form):
    def __init__(self, *args, headings=(), initial_texts=None, **kwargs):
        super().__init__(*args, **kwargs)
        initial_texts = initial_texts or {}
        for index, heading in enumerate(headings):
            self.fields[f"n{index}"] = forms.CharField(label=heading, required=False, max_length=20000,
                                                       initial=initial_texts.get(heading, ""),
                                                       widget=forms.Textarea(attrs={"rows": 4}))
        self.headings = list(headings)

    def narratives(self) -> dict[str, str]:
        return {heading: self.cleaned_data[f"n{index}"] for index, heading in enumerate(self.headings)}
