"""Forms of the check management page (built-in HTTP/TCP/ICMP checks)."""

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from tongyun.catalog.models import Device
from tongyun.core.scoping import scoped
from tongyun.incidents.forms import DeviceChoiceField, SystemChoiceField

from . import checks
from .choices import CheckKind
from .models import Check

INTERVAL = [MinValueValidator(30), MaxValueValidator(86400)]
TIMEOUT = [MinValueValidator(0.5), MaxValueValidator(60)]


class CheckForm(forms.Form):
    system = SystemChoiceField(label=_("系统"), queryset=None)
    device = DeviceChoiceField(label=_("设备"), queryset=None, required=False,
                               help_text=_("检测失败时该设备记为离线；不选则只产生系统告警"))
    kind = forms.ChoiceField(label=_("类型"), choices=CheckKind.choices)
    target = forms.CharField(label=_("目标"), max_length=250,
                             help_text=_("HTTP：网址；TCP：主机:端口；ICMP：主机或 IP"))
    expect = forms.CharField(label=_("期望文本"), max_length=100, required=False,
                             help_text=_("仅 HTTP：页面须包含此文本才算正常"))
    interval_seconds = forms.IntegerField(label=_("间隔（秒）"), initial=300, validators=INTERVAL)
    timeout_seconds = forms.FloatField(label=_("超时（秒）"), initial=5, validators=TIMEOUT)
    enabled = forms.BooleanField(label=_("启用"), required=False, initial=True)

    def __init__(self, *args, user, instance: Check | None = None, **kwargs):
        if instance is not None and "initial" not in kwargs:
            target, expect = checks.split_expect(instance.target)
            kwargs["initial"] = {"system": instance.system_id, "device": instance.device_id, "kind": instance.kind,
                                 "target": target, "expect": expect, "interval_seconds": instance.interval_seconds,
                                 "timeout_seconds": instance.timeout_seconds, "enabled": instance.enabled}
        super().__init__(*args, **kwargs)
        self.instance = instance
        from tongyun.catalog.models import System

        self.fields["system"].queryset = scoped(System.objects.select_related("unit"), user).order_by("row_no")
        devices = scoped(Device.objects.all(), user).order_by("kind", "pk")
        system_id = self.data.get("system") or self.initial.get("system")
        if instance is not None:
            self.fields["system"].disabled = True
            system_id = instance.system_id
        self.fields["device"].queryset = devices.filter(system_id=system_id) if system_id else devices.none()

    def clean(self):
        data = super().clean()
        kind, target = data.get("kind"), data.get("target")
        if kind and target:
            if kind == CheckKind.HTTP:
                target = checks.with_expect(target, data.get("expect", ""))
            elif data.get("expect"):
                self.add_error("expect", _("期望文本仅用于 HTTP 检测"))
            data["target"] = target
        return data

    def service_arguments(self) -> dict:
        d = self.cleaned_data
        return {"kind": d["kind"], "target": d["target"], "device": d.get("device"),
                "interval_seconds": d["interval_seconds"], "timeout_seconds": d["timeout_seconds"],
                "enabled": d["enabled"]}


class BulkCheckForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=CheckKind.choices, initial=CheckKind.ICMP)
    port = forms.IntegerField(label=_("端口"), required=False, validators=[MinValueValidator(1),
                                                                           MaxValueValidator(65535)],
                              help_text=_("TCP 必填；HTTP 可选"))
    https = forms.BooleanField(label=_("HTTPS"), required=False)
    path = forms.CharField(label=_("路径"), required=False, initial="/", max_length=200)
    interval_seconds = forms.IntegerField(label=_("间隔（秒）"), initial=300, validators=INTERVAL)
    timeout_seconds = forms.FloatField(label=_("超时（秒）"), initial=5, validators=TIMEOUT)

    def clean(self):
        data = super().clean()
        if data.get("kind") == CheckKind.TCP and not data.get("port"):
            self.add_error("port", _("TCP 检测需要端口"))
        return data
