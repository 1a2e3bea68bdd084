"""Pages of the accounts: login with the second factor, one's own password and device, and the
administration of accounts, units' contacts, the security policy and lockouts."""

import base64

import segno
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from tongyun.audit.choices import EventKind
from tongyun.audit.selectors import recent_logins
from tongyun.audit.services import record_event
from tongyun.core.downloads import attachment
from tongyun.core.excel import WorkbookInvalid
from tongyun.core.permissions import require

from . import accounts as account_services
from . import lockout, security, selectors, workbooks
from .forms import (
    AccountFilterForm,
    AccountForm,
    AccountImportForm,
    ContactForm,
    LoginForm,
    OtpForm,
    PasswordChangeForm,
    PasswordResetForm,
    PolicyForm,
)

TOTP_SETUP_SESSION_KEY = "tongyun_totp_setup"


class LoginView(auth_views.LoginView):
    """Username and password (django-axes counts the failures); the second factor follows on its own page."""

    template_name = "parties/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


def _form_errors(form, error: ValidationError) -> None:
    for field, messages_ in getattr(error, "message_dict", {"__all__": error.messages}).items():
        form.add_error(field if field in form.fields else None, messages_)


@login_required
def otp_verify(request):
    form = OtpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = security.verify_second_factor(request.user, form.cleaned_data["code"])
        if device is not None:
            otp_login(request, device)
            record_event(EventKind.OTP_VERIFIED, request=request)
            return redirect(request.GET.get("next") or "home")
        record_event(EventKind.OTP_FAILED, request=request)
        form.add_error("code", _("动态口令不正确或已使用，请重试。"))
    return render(request, "parties/otp_verify.html", {"form": form}, status=422 if form.errors else 200)


@login_required
def otp_setup(request):
    """Set up TOTP: scan the QR code (or type the key), confirm with a first code, keep the recovery codes."""
    user = request.user
    if security.has_second_factor(user) and not user.is_verified():
        return redirect("accounts:otp_verify")
    device = TOTPDevice.objects.filter(pk=request.session.get(TOTP_SETUP_SESSION_KEY), user=user,
                                       confirmed=False).first()
    if device is None:
        device = security.totp_start(user)
        request.session[TOTP_SETUP_SESSION_KEY] = device.pk
    form = OtpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = security.totp_confirm(request, user, device, form.cleaned_data["code"])
        if codes is not None:
            otp_login(request, device)
            request.session.pop(TOTP_SETUP_SESSION_KEY, None)
            return render(request, "parties/recovery_codes.html", {"codes": codes})
        form.add_error("code", _("动态口令不正确，请核对手机时间后重试。"))
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    qr = segno.make(device.config_url, error="m").svg_inline(scale=4)
    return render(request, "parties/otp_setup.html", {"form": form, "secret": secret, "qr": qr},
                  status=422 if form.errors else 200)


@login_required
@require_POST
def recovery_codes(request):
    codes = security.recovery_codes_issue(request, request.user)
    return render(request, "parties/recovery_codes.html", {"codes": codes})


@login_required
def profile(request):
    """One's own account: last login time and address, the second factor, the password."""
    logins = recent_logins(request.user, 2)
    context = {"previous_login": logins[1] if len(logins) > 1 else None, "current_login": logins[0] if logins else None,
               "has_second_factor": security.has_second_factor(request.user),
               "second_factor_required": security.second_factor_required(request.user),
               "password_expired": security.password_expired(request.user)}
    return render(request, "parties/profile.html", context)


@login_required
def password_change(request):
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            account_services.password_change(request, request.user, form.cleaned_data["old_password"],
                                             form.cleaned_data["new_password"])
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("密码已修改。"))
            return redirect("accounts:profile")
    return render(request, "parties/password_change.html", {"form": form,
                                                            "forced": security.must_change_password(request.user)},
                  status=422 if form.errors else 200)


@login_required
def account_list(request):
    filters = AccountFilterForm(request.GET or None)
    data = filters.cleaned_data if filters.is_valid() else {}
    accounts = selectors.account_list(request.user, data)
    page = Paginator(accounts, 50).get_page(request.GET.get("page"))
    return render(request, "parties/account_list.html", {"page": page, "filters": filters,
                                                         "query": request.GET.urlencode()})


@login_required
def account_export(request):
    filters = AccountFilterForm(request.GET or None)
    accounts = selectors.account_list(request.user, filters.cleaned_data if filters.is_valid() else {})
    return attachment(workbooks.accounts_workbook(request.user, accounts), "tongyun-accounts.xlsx")


@login_required
def account_template(request):
    require(request.user, "accounts.manage")
    return attachment(workbooks.accounts_template(request.user), "tongyun-accounts-template.xlsx")


def _account_form(request, data=None, editing=None):
    return AccountForm(data, roles=account_services.assignable_roles(request.user),
                       organisations=account_services.assignable_organisations(request.user), editing=editing,
                       initial=_initial(editing))


def _initial(account):
    if account is None:
        return None
    return {"username": account.username, "full_name": account.full_name, "role": account.role,
            "organisation": account.organisation_id, "phone": account.phone, "email": account.email}


@login_required
def account_create(request):
    require(request.user, "accounts.manage")
    form = _account_form(request, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            account = account_services.account_create(request.user, **form.cleaned_data)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("已创建账号 %(u)s，首次登录须修改密码。") % {"u": account.username})
            return redirect("accounts:account_detail", pk=account.pk)
    return render(request, "parties/account_form.html", {"form": form, "account": None},
                  status=422 if form.errors else 200)


@login_required
def account_detail(request, pk):
    account = get_object_or_404(selectors.account_list(request.user), pk=pk)
    return render(request, "parties/account_detail.html", {
        "account": account, "reset_form": PasswordResetForm(), "logins": recent_logins(account, 5),
        "has_second_factor": security.has_second_factor(account)})


@login_required
def account_edit(request, pk):
    account = get_object_or_404(selectors.account_list(request.user), pk=pk)
    form = _account_form(request, request.POST or None, editing=account)
    if request.method == "POST" and form.is_valid():
        changes = {k: v for k, v in form.cleaned_data.items() if k != "username"}
        try:
            account_services.account_update(request.user, account, **changes)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("已保存。"))
            return redirect("accounts:account_detail", pk=account.pk)
    return render(request, "parties/account_form.html", {"form": form, "account": account},
                  status=422 if form.errors else 200)


@login_required
@require_POST
def account_active(request, pk):
    account = get_object_or_404(selectors.account_list(request.user), pk=pk)
    try:
        account_services.account_set_active(request.user, account, request.POST.get("active") == "1")
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    return redirect("accounts:account_detail", pk=account.pk)


@login_required
@require_POST
def account_reset_password(request, pk):
    account = get_object_or_404(selectors.account_list(request.user), pk=pk)
    form = PasswordResetForm(request.POST)
    if form.is_valid():
        try:
            account_services.password_reset(request, request.user, account, form.cleaned_data["password"])
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("密码已重置，%(u)s 下次登录须修改密码。") % {"u": account.username})
            return redirect("accounts:account_detail", pk=account.pk)
    return render(request, "parties/account_detail.html", {
        "account": account, "reset_form": form, "logins": recent_logins(account, 5),
        "has_second_factor": security.has_second_factor(account)}, status=422)


@login_required
@require_POST
def account_remove_otp(request, pk):
    account = get_object_or_404(selectors.account_list(request.user), pk=pk)
    security.second_factor_remove(request, request.user, account)
    messages.success(request, _("已解绑动态口令，%(u)s 下次登录时重新绑定。") % {"u": account.username})
    return redirect("accounts:account_detail", pk=account.pk)


@login_required
def account_import(request):
    require(request.user, "accounts.manage")
    form = AccountImportForm(request.POST or None, request.FILES or None)
    context = {"form": form, "problems": None, "created": None}
    if request.method == "POST" and form.is_valid():
        try:
            context["created"] = workbooks.accounts_import(request, request.user, form.cleaned_data["file"].read())
        except WorkbookInvalid as invalid:
            context["problems"] = invalid.problems
    return render(request, "parties/account_import.html", context, status=422 if context["problems"] else 200)


@login_required
def unit_contact(request, pk):
    """A unit's contact person, phone and e-mail (the unit's admin, or the bureau)."""
    organisation = get_object_or_404(account_services.contact_editable_units(request.user), pk=pk)
    form = ContactForm(request.POST or None, initial={"contact_name": organisation.contact_name,
                                                      "contact_phone": organisation.contact_phone,
                                                      "contact_email": organisation.contact_email})
    if request.method == "POST" and form.is_valid():
        account_services.organisation_contact_update(request.user, organisation, **form.cleaned_data)
        messages.success(request, _("联系人信息已保存。"))
        return redirect("accounts:unit_contact", pk=organisation.pk)
    return render(request, "parties/unit_contact.html", {"form": form, "organisation": organisation},
                  status=422 if form.errors else 200)


@login_required
def unit_contacts(request):
    units = account_services.contact_editable_units(request.user).order_by("kind", "name")
    if not units.exists():
        raise Http404
    return render(request, "parties/unit_contacts.html", {"units": units})


@login_required
def policy_edit(request):
    require(request.user, "accounts.security")
    form = PolicyForm(request.POST or None, instance=security.policy())
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("安全策略已保存。"))
        return redirect("accounts:policy")
    return render(request, "parties/policy.html", {"form": form}, status=422 if form.errors else 200)


@login_required
def lockouts(request):
    if request.method == "POST":
        attempt = request.POST.get("attempt", "")
        lockout.unlock(request, request.user, int(attempt) if attempt.isdigit() and len(attempt) < 18 else 0)
        messages.success(request, _("已解除锁定。"))
        return redirect(reverse("accounts:lockouts"))
    return render(request, "parties/lockouts.html", {"attempts": lockout.locked_attempts(request.user)})
