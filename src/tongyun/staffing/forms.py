"""Forms of the staffing pages (validation of input; the rules live in services)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import CertificateKind, DayKind, Post
from .models import StaffMember


class DateInput(forms.DateInput):
    input_type = "date"


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"


class TimeInput(forms.TimeInput):
    input_type = "time"


def _people():
    return StaffMember.objects.filter(active=True)


class StaffForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=50)
    phone = forms.CharField(label=_("手机"), max_length=30, required=False)
    id_number = forms.CharField(label=_("身份证号"), max_length=30, required=False)
    social_insurance_months = forms.IntegerField(label=_("本单位社保月数"), min_value=0, initial=0)


class PostForm(forms.Form):
    post = forms.ChoiceField(label=_("岗位"), choices=Post.choices)
    start = forms.DateField(label=_("起始日期"), widget=DateInput)


class CertificateForm(forms.Form):
    kind = forms.ChoiceField(label=_("证书类别"), choices=CertificateKind.choices)
    number = forms.CharField(label=_("证书编号"), max_length=60, required=False)
    issuer = forms.CharField(label=_("发证机关"), max_length=100, required=False)
    valid_until = forms.DateField(label=_("有效期至"), widget=DateInput, required=False)
    scan = forms.FileField(label=_("扫描件"), required=False)


class ImportForm(forms.Form):
    workbook = forms.FileField(label=_("Excel 文件"))


class AssignForm(forms.Form):
    person = forms.ModelChoiceField(label=_("人员"), queryset=StaffMember.objects.none())
    start = forms.DateField(label=_("起始日期"), widget=DateInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = _people()


class ChangeForm(forms.Form):
    leaving = forms.ModelChoiceField(label=_("调离人员"), queryset=StaffMember.objects.none(), required=False)
    replacement = forms.ModelChoiceField(label=_("接替人员"), queryset=StaffMember.objects.none())
    reason = forms.CharField(label=_("调整原因"), widget=forms.Textarea(attrs={"rows": 2}))
    replacement_profile = forms.CharField(label=_("接替人员简历"), widget=forms.Textarea(attrs={"rows": 3}))
    effective_date = forms.DateField(label=_("生效日期"), widget=DateInput,
                                     help_text=_("须在书面通知（今天）7 天之后"))

    def __init__(self, post, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = [a.person_id for a in post.current] if hasattr(post, "current") else []
        self.fields["leaving"].queryset = StaffMember.objects.filter(pk__in=current)
        self.fields["replacement"].queryset = _people()


class RosterForm(forms.Form):
    system = forms.ModelChoiceField(label=_("系统"), queryset=None)
    name = forms.CharField(label=_("名称"), max_length=100)
    round_the_clock = forms.BooleanField(label=_("7×24 值班"), required=False, initial=True)

    def __init__(self, systems, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["system"].queryset = systems


class LayerForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=60)
    rotation_start = forms.DateTimeField(label=_("首次交接时间"), widget=DateTimeInput)
    shift_hours = forms.IntegerField(label=_("每班时长（小时）"), min_value=1, max_value=336, initial=24)
    members = forms.ModelMultipleChoiceField(label=_("轮值人员（按轮值顺序）"), queryset=StaffMember.objects.none())
    day_kind = forms.ChoiceField(label=_("适用日"), choices=DayKind.choices, initial=DayKind.ALL)
    rrule = forms.CharField(label=_("重复规则（RRULE，可选）"), max_length=200, required=False,
                            help_text=_("例如 FREQ=WEEKLY;BYDAY=SA,SU"))
    window_start = forms.TimeField(label=_("每日开始（可选）"), widget=TimeInput, required=False)
    window_end = forms.TimeField(label=_("每日结束（可选）"), widget=TimeInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = _people()


class OverrideForm(forms.Form):
    person = forms.ModelChoiceField(label=_("值班人员"), queryset=StaffMember.objects.none())
    start = forms.DateTimeField(label=_("开始"), widget=DateTimeInput)
    end = forms.DateTimeField(label=_("结束"), widget=DateTimeInput)
    reason = forms.CharField(label=_("原因"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = _people()


class GroupForm(forms.Form):
    name = forms.CharField(label=_("维护组"), max_length=60)
    members = forms.ModelMultipleChoiceField(label=_("组员"), queryset=StaffMember.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = _people()


class VehicleForm(forms.Form):
    plate = forms.CharField(label=_("工程车车牌"), max_length=20)
    driver = forms.ModelChoiceField(label=_("专职司机"), queryset=StaffMember.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["driver"].queryset = _people()


class TaskForm(forms.Form):
    description = forms.CharField(label=_("检修清洁内容"), max_length=200)


class TaskDoneForm(forms.Form):
    done_on = forms.DateField(label=_("完成日期"), widget=DateInput)
    result = forms.CharField(label=_("结果"), widget=forms.Textarea(attrs={"rows": 2}))
    reported_on = forms.DateField(label=_("通报甲方日期"), widget=DateInput, required=False)


class SafetyForm(forms.Form):
    held_on = forms.DateField(label=_("日期"), widget=DateInput)
    topic = forms.CharField(label=_("主题"), max_length=200)
    trainer = forms.CharField(label=_("主讲人"), max_length=50)
    attendees = forms.ModelMultipleChoiceField(label=_("参加人员"), queryset=StaffMember.objects.none(),
                                               required=False)
    signed_list = forms.FileField(label=_("签到表"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = _people()


class TrainingForm(forms.Form):
    held_on = forms.DateField(label=_("实际日期"), widget=DateInput)
    attendance = forms.IntegerField(label=_("参加人数"), min_value=0)
    materials = forms.FileField(label=_("培训材料"), required=False)
