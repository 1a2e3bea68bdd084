from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from .choices import OrganisationKind, Role
from .models import SecurityPolicy, User


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("用户名或密码错误，请重试。"),
        "inactive": _("该账号已停用。"),
    }


class OtpForm(forms.Form):
    code = forms.CharField(label=_("动态口令或恢复码"), max_length=20,
                           widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True}))


class AccountForm(forms.Form):
    username = forms.CharField(label=_("用户名"), max_length=150)
    full_name = forms.CharField(label=_("姓名"), max_length=50, required=False)
    role = forms.ChoiceField(label=_("角色"))
    organisation = forms.ModelChoiceField(label=_("所属单位"), queryset=None)
    phone = forms.CharField(label=_("手机"), max_length=30, required=False)
    email = forms.EmailField(label=_("邮箱"), required=False)
    password = forms.CharField(label=_("初始密码"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
                               help_text=password_validation.password_validators_help_text_html)

    def __init__(self, *args, roles, organisations, editing: User | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(r.value, r.label) for r in roles]
        self.fields["organisation"].queryset = organisations
        if editing is not None:
            del self.fields["password"]
            self.fields["username"].disabled = True
            # a role outside what this manager may give stays shown, not silently changed
            if editing.role not in [r.value for r in roles] and editing.role in Role.values:
                self.fields["role"].choices.append((editing.role, Role(editing.role).label))


class PasswordResetForm(forms.Form):
    password = forms.CharField(label=_("新密码"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
                               help_text=password_validation.password_validators_help_text_html)


class PasswordChangeForm(forms.Form):
    old_password = forms.CharField(label=_("原密码"),
                                   widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))
    new_password = forms.CharField(label=_("新密码"),
                                   widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
                                   help_text=password_validation.password_validators_help_text_html)
    new_password2 = forms.CharField(label=_("确认新密码"),
                                    widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def clean(self):
        data = super().clean()
        if data.get("new_password") and data.get("new_password") != data.get("new_password2"):
            self.add_error("new_password2", _("两次输入的新密码不一致"))
        return data


class ContactForm(forms.Form):
    contact_name = forms.CharField(label=_("联系人"), max_length=50, required=False)
    contact_phone = forms.CharField(label=_("联系电话"), max_length=50, required=False)
    contact_email = forms.EmailField(label=_("联系邮箱"), required=False)


class PolicyForm(forms.ModelForm):
    class Meta:
        model = SecurityPolicy
        fields = ["otp_for_everyone", "password_max_age_days", "session_idle_minutes"]

    def clean_session_idle_minutes(self):
        value = self.cleaned_data["session_idle_minutes"]
        if not 1 <= value <= 480:
            raise forms.ValidationError(_("应在 1 到 480 分钟之间"))
        return value

    def clean_password_max_age_days(self):
        value = self.cleaned_data["password_max_age_days"]
        if value > 3650:
            raise forms.ValidationError(_("应在 0 到 3650 天之间"))
        return value


class AccountImportForm(forms.Form):
    file = forms.FileField(label=_("Excel 文件（.xlsx）"))


class AccountFilterForm(forms.Form):
    q = forms.CharField(label=_("用户名或姓名"), required=False)
    kind = forms.ChoiceField(label=_("单位类型"), required=False,
                             choices=[("", _("全部"))] + list(OrganisationKind.choices))
    role = forms.ChoiceField(label=_("角色"), required=False, choices=[("", _("全部"))] + list(Role.choices))
    active = forms.ChoiceField(label=_("状态"), required=False,
                               choices=[("", _("全部")), ("1", _("启用")), ("0", _("停用"))])
