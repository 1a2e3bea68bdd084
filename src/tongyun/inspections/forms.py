from django import forms
from django.utils.translation import gettext_lazy as _

from tongyun.catalog import selectors as catalog_selectors
from tongyun.catalog.choices import Category, Frequency, InspectionMode
from tongyun.catalog.models import System
from tongyun.core.scoping import scoped
from tongyun.parties.models import User

from . import selectors
from .choices import PlanStatus
from .filters import TASK_STATES
from .models import ChecklistTemplate, InspectionPlan
from .services import FIELD_ROLES


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        return f"{user.full_name or user.username}（{user.get_role_display()}）"


class PlanForm(forms.ModelForm):
    """The PM's edit of a plan; the schedule is the frequency's rule unless an RRULE is entered."""

    assignee = StaffChoiceField(queryset=User.objects.none(), required=False, label=_("巡检人"))
    rrule = forms.CharField(required=False, label=_("重复规则（RRULE，可选）"),
                            help_text=_("留空按频次生成；例：FREQ=WEEKLY;BYDAY=WE 每周三。节假日顺延至下一工作日。"))

    class Meta:
        model = InspectionPlan
        fields = ["name", "frequency", "mode", "rrule", "assignee", "checklist"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        plan = self.instance
        self.fields["assignee"].queryset = User.objects.filter(role__in=FIELD_ROLES, is_active=True).order_by(
            "username")
        self.fields["checklist"].queryset = ChecklistTemplate.objects.filter(
            system__isnull=True) | ChecklistTemplate.objects.filter(system_id=plan.system_id)
        self.initial["rrule"] = plan.rrule

    def service_arguments(self) -> dict:
        data = dict(self.cleaned_data)
        frequency_changed = data["frequency"] != self.initial.get("frequency")
        if frequency_changed and data.get("rrule", "") == (self.initial.get("rrule") or ""):
            data.pop("rrule")  # a new frequency brings its own rule
        return data


class TaskFilterForm(forms.Form):
    unit = forms.ModelChoiceField(queryset=None, required=False, label=_("用户单位"))
    system = forms.ModelChoiceField(queryset=System.objects.none(), required=False, label=_("系统"))
    assignee = StaffChoiceField(queryset=None, required=False, label=_("巡检人"))
    category = forms.ChoiceField(choices=[("", "—"), *Category.choices], required=False, label=_("类别"))
    state = forms.ChoiceField(choices=[("", "—"), *TASK_STATES], required=False, label=_("状态"))
    month = forms.CharField(required=False, label=_("月份"), widget=forms.TextInput(attrs={"type": "month"}))

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["system"].queryset = scoped(System.objects.order_by("row_no"), user)
        self.fields["unit"].queryset = catalog_selectors.unit_list(user).order_by("name")
        self.fields["assignee"].queryset = selectors.inspectors()


class BulkAssignForm(forms.Form):
    """Many tasks → one inspector (the task list's check boxes)."""

    tasks = forms.TypedMultipleChoiceField(coerce=int, label=_("任务"))
    inspector = StaffChoiceField(queryset=None, label=_("巡检人"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["inspector"].queryset = selectors.inspectors()
        # the ids are checked against the user's scope by the service; here only their shape
        self.fields["tasks"].choices = [(v, v) for v in self.data.getlist("tasks") if str(v).isdigit()] \
            if self.is_bound else []


class PlanFilterForm(forms.Form):
    q = forms.CharField(required=False, label=_("搜索"))
    category = forms.ChoiceField(choices=[("", "—"), *Category.choices], required=False, label=_("类别"))
    frequency = forms.ChoiceField(choices=[("", "—"), *Frequency.choices], required=False, label=_("频次"))
    mode = forms.ChoiceField(choices=[("", "—"), *InspectionMode.choices], required=False, label=_("方式"))
    status = forms.ChoiceField(choices=[("", "—"), *PlanStatus.choices], required=False, label=_("状态"))


class FeedForm(forms.Form):
    system = forms.ModelChoiceField(queryset=System.objects.none(), required=False, label=_("系统"),
                                    help_text=_("留空：订阅我自己的巡检任务"))

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["system"].queryset = scoped(System.objects.order_by("row_no"), user)
