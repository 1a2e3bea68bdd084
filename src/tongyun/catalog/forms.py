from django import forms
from django.utils.translation import gettext_lazy as _

from tongyun.parties.selectors import staff_list

from .choices import ChangeKind
from .services import FIELD_ROLES


class SystemChangeForm(forms.Form):
    kind = forms.ChoiceField(label=_("变更类型"), choices=ChangeKind.choices)
    effective_date = forms.DateField(label=_("生效日期"), widget=forms.DateInput(attrs={"type": "date"}))
    description = forms.CharField(label=_("说明"), widget=forms.Textarea(attrs={"rows": 2}))
    new_service_start = forms.DateField(
        label=_("新的服务开始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    new_service_end = forms.DateField(
        label=_("新的服务结束日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def changes(self) -> dict:
        data = self.cleaned_data
        changes = {}
        if data.get("new_service_start"):
            changes["service_start"] = data["new_service_start"]
        if data.get("new_service_end"):
            changes["service_end"] = data["new_service_end"]
        return changes


class AssignmentForm(forms.Form):
    staff = forms.ModelChoiceField(label=_("人员"), queryset=None)
    since = forms.DateField(label=_("起始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = staff_list().filter(role__in=FIELD_ROLES).order_by("role", "username")


class CatalogImportForm(forms.Form):
    file = forms.FileField(label=_("Excel 文件（.xlsx）"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("请上传 .xlsx 格式的文件"))
        return upload


class DeviceImportForm(CatalogImportForm):
    """The 设备台账 workbook (one sheet, up to 100,000 devices)."""
