"""Forms of the monitoring pages: an alert source with its mapping (JSON), and the event filters."""

import json

from django import forms
from django.utils.translation import gettext_lazy as _

from tongyun.catalog.models import System
from tongyun.core.scoping import scoped

from . import receivers
from .choices import EventStatus, SourceKind
from .models import AlertSource


class SourceForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=100)
    kind = forms.ChoiceField(label=_("类型"), choices=[c for c in SourceKind.choices if c[0] != SourceKind.BUILTIN])
    enabled = forms.BooleanField(label=_("启用"), required=False, initial=True)
    default_system = forms.ModelChoiceField(label=_("默认系统"), queryset=System.objects.none(), required=False,
                                            help_text=_("告警标签找不到系统时使用"))
    mapping = forms.CharField(label=_("映射规则（JSON）"), required=False, widget=forms.Textarea(attrs={"rows": 12}),
                              help_text=_("只写与默认值不同的键；见 docs/monitoring.md"))

    def __init__(self, user, *args, source: AlertSource | None = None, **kwargs):
        if source is not None and "initial" not in kwargs:
            kwargs["initial"] = {"name": source.name, "kind": source.kind, "enabled": source.enabled,
                                 "default_system": source.default_system_id,
                                 "mapping": json.dumps(source.mapping, ensure_ascii=False, indent=2)}
        super().__init__(*args, **kwargs)
        self.fields["default_system"].queryset = scoped(System.objects.select_related("unit"), user).order_by("row_no")
        if source is not None:
            self.fields["kind"].disabled = True

    def clean_mapping(self):
        text = self.cleaned_data["mapping"].strip() or "{}"
        try:
            mapping = json.loads(text)
        except ValueError as error:
            raise forms.ValidationError(_("不是有效的 JSON：%(e)s") % {"e": error}) from error
        try:
            return receivers.validate_mapping(mapping)
        except forms.ValidationError as error:
            raise forms.ValidationError([f"{k}: {' '.join(v)}" for k, v in error.message_dict.items()]) from error


class EventFilterForm(forms.Form):
    source = forms.ModelChoiceField(label=_("告警来源"), queryset=AlertSource.objects.all(), required=False)
    status = forms.ChoiceField(label=_("状态"), choices=[("", "—"), *EventStatus.choices], required=False)
    system = forms.ModelChoiceField(label=_("系统"), queryset=System.objects.none(), required=False)
    unmapped = forms.NullBooleanField(label=_("未映射"), required=False, widget=forms.Select(
        choices=[("", "—"), ("true", _("仅未映射")), ("false", _("仅已映射"))]))
    q = forms.CharField(label=_("搜索"), required=False)

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["system"].queryset = scoped(System.objects.all(), user).order_by("row_no")
