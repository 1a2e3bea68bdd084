from django import forms
from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tongyun.catalog import selectors as catalog_selectors
from tongyun.catalog.choices import Category, Severity
from tongyun.catalog.models import Device
from tongyun.core.forms import MultipleFileField, MultipleFileInput
from tongyun.core.scoping import scoped

from . import selectors
from .choices import IncidentSource, IncidentState
from .compliance import GROUP_LABELS, GROUPINGS
from .filters import CLOCK_FILTERS
from .models import MajorEventPeriod
from .services import MAY_BACKDATE, contact_defaults

PHONE_SOURCES = [(IncidentSource.PHONE, IncidentSource.PHONE.label), (IncidentSource.WEB, IncidentSource.WEB.label),
                 (IncidentSource.ALERT, IncidentSource.ALERT.label),
                 (IncidentSource.INSPECTION, IncidentSource.INSPECTION.label)]


class SystemChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, system):
        return f"{system.name}（{system.unit}）"


class DeviceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, device):
        return device_label(device)


def device_label(device: Device) -> str:
    parts = [device.code, device.kind, device.model, device.name, device.location]
    return " · ".join(p for p in parts if p) or f"#{device.pk}"


class DeviceSearchWidget(forms.Widget):
    """A search box (HTMX, ≤ 20 matches as radio buttons named like the field) instead of a select that
    would list thousands of devices; a chosen device stays checked when the form comes back with errors."""

    template_name = "incidents/_device_search.html"

    def __init__(self, *args, chosen=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.chosen = chosen

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["search_url"] = reverse("incidents:device_search")
        context["widget"]["chosen"] = self.chosen
        return context


class ReportForm(forms.Form):
    """Report a fault. The system list holds only the systems the user may see; the device is found by
    code, name or location (HTMX search, scoped) and, when no system was chosen, names it. The contact is
    pre-filled from the account (else the unit's contact). Dispatcher and PM also log phone reports."""

    system = SystemChoiceField(label=_("系统"), queryset=None, required=False,
                               help_text=_("可先搜索设备，系统随设备确定"))
    device = forms.ModelChoiceField(label=_("设备（可选）"), queryset=Device.objects.none(), required=False,
                                    widget=DeviceSearchWidget)
    severity = forms.ChoiceField(label=_("故障等级"), choices=Severity.choices, initial=Severity.GENERAL)
    title = forms.CharField(label=_("故障摘要"), max_length=200)
    description = forms.CharField(label=_("故障描述"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    location = forms.CharField(label=_("故障地点/点位"), max_length=200, required=False,
                               widget=forms.TextInput(attrs={"placeholder": _("如：仁和镇府前街路口东北角")}))
    reporter_name = forms.CharField(label=_("联系人"), max_length=100, required=False)
    reporter_phone = forms.CharField(label=_("联系电话"), max_length=40, required=False,
                                     widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}))
    attachments = MultipleFileField(
        label=_("照片和附件"), required=False,
        widget=MultipleFileInput(attrs={"accept": "image/*,.pdf,.doc,.docx,.xls,.xlsx,.zip,.mp4"}))
    source = forms.ChoiceField(label=_("来源"), choices=PHONE_SOURCES, initial=IncidentSource.PHONE)
    reported_at = forms.DateTimeField(
        label=_("接报时间"), required=False, help_text=_("电话报障：接到电话的时间；留空为当前时间"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    PHONE_FIELDS = ("source", "reported_at")

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["system"].queryset = catalog_selectors.system_list(user).order_by("unit__name", "row_no")
        self.fields["device"].queryset = scoped(Device.objects.select_related("system"), user)
        self.may_log_phone = user.is_superuser or user.role in MAY_BACKDATE
        if not self.may_log_phone:
            for name in self.PHONE_FIELDS:
                del self.fields[name]
            # a unit user reports for themself: the contact is theirs unless they change it
            for name, value in contact_defaults(user).items():
                self.fields[name].initial = value
        self.fields["device"].widget.chosen = self._chosen_device()
        self.fields["attachments"].help_text = _("可多选；照片、PDF、Office 文档，每个不超过 %(mb)s MB") % {
            "mb": settings.TONGYUN_UPLOAD_MAX_BYTES // 2**20}

    def _chosen_device(self):
        key = self.data.get("device") if self.is_bound else self.initial.get("device")
        if not key or not str(key).isdigit():
            return None
        device = self.fields["device"].queryset.filter(pk=int(key)).first()
        return (device, device_label(device)) if device else None

    def clean(self):
        data = super().clean()
        device, system = data.get("device"), data.get("system")
        if system is None and device is not None:
            data["system"] = device.system
        elif system is None and "system" not in self.errors:
            self.add_error("system", _("请选择系统，或搜索并选择设备"))
        return data

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        arguments = {"system": data["system"], "severity": data["severity"], "title": data["title"],
                     "description": data["description"], "device": data.get("device"),
                     "location": data["location"], "reporter_name": data["reporter_name"],
                     "reporter_phone": data["reporter_phone"], "attachments": data["attachments"]}
        if self.may_log_phone:
            arguments.update(source=data["source"], reported_at=data["reported_at"])
        return arguments


class AssigneeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        # the person's name, then the role unless the name is the role's (an account named after its office)
        role = user.get_role_display()
        label = f"{user}" if str(user) == role else f"{user} · {role}"
        if getattr(user, "assigned_here", False):
            label += _("（负责本系统）")
        if getattr(user, "open_tickets", None) is not None:
            label += _(" · 未结工单 %(n)s") % {"n": user.open_tickets}
        return label


class ActionForm(forms.Form):
    """One lifecycle action; the fields shown depend on the action. The action itself is posted as the
    unprefixed `action` field."""

    FIELDS = {
        "dispatch": ("assignee", "note"),
        "resolve": ("cause", "action_taken", "parts_used", "note"),
        "confirm": ("satisfaction", "satisfaction_comment", "note"),
        "reopen": ("note",),
        "cancel": ("note",),
    }
    NOTE_REQUIRED = ("reopen", "cancel")

    assignee = AssigneeChoiceField(label=_("处理人"), queryset=None)
    cause = forms.CharField(label=_("故障原因"), widget=forms.Textarea(attrs={"rows": 2}))
    action_taken = forms.CharField(label=_("处理措施"), widget=forms.Textarea(attrs={"rows": 2}))
    parts_used = forms.CharField(label=_("使用备件"), required=False)
    satisfaction = forms.TypedChoiceField(
        label=_("满意度"), coerce=int, required=False, empty_value=None,
        choices=[(5, _("5 非常满意")), (4, _("4 满意")), (3, _("3 一般")), (2, _("2 不满意")), (1, _("1 非常不满意"))],
        widget=forms.RadioSelect, help_text=_("满意度调查：计入合同考核"))
    satisfaction_comment = forms.CharField(label=_("评价"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    note = forms.CharField(label=_("说明"), required=False,
                           widget=forms.TextInput(attrs={"placeholder": _("可选")}))

    def __init__(self, incident, action: str, *args, on_duty=None, **kwargs):
        kwargs.setdefault("prefix", action)  # one form per action on the page: distinct ids
        super().__init__(*args, **kwargs)
        self.action = action
        keep = set(self.FIELDS.get(action, ("note",)))
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]
        if "assignee" in self.fields:
            self.fields["assignee"].queryset = selectors.dispatch_candidates(incident)
            if incident.assignee_id:
                self.fields["assignee"].initial = incident.assignee_id
            elif on_duty is not None:
                self.fields["assignee"].initial = on_duty.pk  # the staffing roster's on-duty person
        if action in self.NOTE_REQUIRED:
            self.fields["note"].required = True
            self.fields["note"].label = _("原因")
            self.fields["note"].widget = forms.Textarea(attrs={"rows": 2})

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        arguments = {"note": data.get("note", "")}
        for name in ("assignee", "cause", "action_taken", "parts_used", "satisfaction", "satisfaction_comment"):
            if name in data:
                arguments[name] = data[name]
        return arguments


class ReclassifyForm(forms.Form):
    severity = forms.ChoiceField(label=_("故障等级"), choices=Severity.choices)
    tier_key = forms.ChoiceField(label=_("时限条款"), required=False)
    note = forms.CharField(label=_("原因"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, incident, *args, **kwargs):
        kwargs.setdefault("initial", {"severity": incident.severity, "tier_key": incident.tier_key})
        super().__init__(*args, **kwargs)
        self.fields["tier_key"].choices = [("", _("按故障等级"))] + selectors.sla_tiers(incident)


class CommentForm(forms.Form):
    note = forms.CharField(label=_("备注"), widget=forms.Textarea(attrs={"rows": 2}))


class IncidentFilterForm(forms.Form):
    """What the list page shows as filters; the parameters are those of IncidentFilterSet."""

    q = forms.CharField(label=_("搜索"), required=False,
                        widget=forms.TextInput(attrs={"placeholder": _("工单号、摘要或系统名称")}))
    clock = forms.ChoiceField(label=_("时限"), required=False, choices=[("", "—"), *CLOCK_FILTERS])
    state = forms.ChoiceField(label=_("状态"), required=False, choices=[("", "—"), *IncidentState.choices])
    severity = forms.ChoiceField(label=_("故障等级"), required=False, choices=[("", "—"), *Severity.choices])
    unit = forms.ChoiceField(label=_("用户单位"), required=False)
    category = forms.ChoiceField(label=_("类别"), required=False, choices=[("", "—"), *Category.choices])

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        units = catalog_selectors.unit_list(user).order_by("name").values_list("pk", "name")
        self.fields["unit"].choices = [("", "—"), *((str(pk), name) for pk, name in units)]


# ---------------------------------------------------------------- SLA settings: calendar, business hours, 重保期

LOCAL_MOMENT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DAY_TYPES = [("off", _("休（休息日）")), ("work", _("班（调休上班）"))]


class CalendarImportForm(forms.Form):
    """A year's official arrangement from Excel (sheet 日历) or iCalendar (.ics)."""

    year = forms.IntegerField(label=_("年份"), min_value=2000, max_value=2100)
    source = forms.CharField(label=_("依据"), max_length=200, required=False,
                             help_text=_("如：国务院办公厅关于 2027 年部分节假日安排的通知；留空则记文件名"))
    file = forms.FileField(label=_("文件"),
                           help_text=_("Excel（工作表“日历”：日期 / 类型 休或班 / 名称）或 iCalendar（.ics）"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.ics"}))

    def is_ics(self) -> bool:
        return self.cleaned_data["file"].name.lower().endswith(".ics")


class CorrectionForm(forms.Form):
    """A single-day correction, stronger than any declaration (e.g. a district-wide day off)."""

    date = forms.DateField(label=_("日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    kind = forms.ChoiceField(label=_("类型"), choices=DAY_TYPES)
    name = forms.CharField(label=_("说明"), max_length=100, required=False,
                           widget=forms.TextInput(attrs={"placeholder": _("如：区政府通知临时停工")}))

    def is_working(self) -> bool:
        return self.cleaned_data["kind"] == "work"


class BusinessHoursForm(forms.Form):
    """Business hours of one system; both empty restores the default 09:00–17:30."""

    system = SystemChoiceField(label=_("系统"), queryset=None)
    start = forms.TimeField(label=_("开始"), required=False,
                            widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    end = forms.TimeField(label=_("结束"), required=False,
                          widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))

    def __init__(self, user, *args, **kwargs):
        kwargs.setdefault("prefix", "hours")
        super().__init__(*args, **kwargs)
        self.fields["system"].queryset = catalog_selectors.system_list(user).select_related("unit").order_by(
            "unit__name", "row_no")

    def clean(self):
        data = super().clean()
        if (data.get("start") is None) != (data.get("end") is None) and not self.errors:
            raise forms.ValidationError(_("开始和结束请都填写，或都留空（恢复默认 09:00–17:30）"))
        return data


class SystemMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, system):
        return f"{system.name}（{system.unit}）"


class MajorEventForm(forms.ModelForm):
    """A 重保期: reports inside it get the stricter of its targets and the system's own."""

    systems = SystemMultipleChoiceField(label=_("适用系统"), queryset=None, required=False,
                                        widget=forms.SelectMultiple(attrs={"size": 12}),
                                        help_text=_("不适用全部系统时选择；按住 Ctrl 或 ⌘ 可多选"))

    class Meta:
        model = MajorEventPeriod
        fields = ["name", "start", "end", "response_value", "response_unit", "repair_value", "repair_unit",
                  "all_systems", "systems", "note"]
        widgets = {"start": LOCAL_MOMENT, "end": LOCAL_MOMENT, "note": forms.Textarea(attrs={"rows": 2})}
        help_texts = {"start": _("北京时间"), "end": _("北京时间；此刻起不再适用")}

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["systems"].queryset = catalog_selectors.system_list(user).select_related("unit").order_by(
            "unit__name", "row_no")

    def clean(self):
        data = super().clean()
        if not data.get("all_systems") and not data.get("systems") and "systems" not in self.errors:
            self.add_error("systems", _("请选择适用系统，或勾选“适用全部系统”"))
        return data

    def chosen_systems(self) -> list:
        """The systems for the service: none when the period covers all systems."""
        return [] if self.cleaned_data["all_systems"] else list(self.cleaned_data["systems"])


# ---------------------------------------------------------------- SLA compliance


class ComplianceForm(forms.Form):
    month = forms.CharField(label=_("月份"), required=False,
                            widget=forms.TextInput(attrs={"type": "month", "placeholder": "2026-03"}))
    group_by = forms.ChoiceField(label=_("分组"), required=False,
                                 choices=[(g, GROUP_LABELS[g]) for g in GROUPINGS])
    category = forms.ChoiceField(label=_("类别"), required=False, choices=[("", "—"), *Category.choices])
    severity = forms.ChoiceField(label=_("故障等级"), required=False, choices=[("", "—"), *Severity.choices])
    unit = forms.IntegerField(required=False, widget=forms.HiddenInput)
    system = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def clean_group_by(self):
        return self.cleaned_data["group_by"] or "unit"

    def filters(self) -> dict:
        """The parameters of compliance.ComplianceFilterSet that were given."""
        return {k: self.cleaned_data[k] for k in ("category", "severity", "unit", "system")
                if self.cleaned_data.get(k) not in (None, "")}
