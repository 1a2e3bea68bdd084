"""Filter sets shared by the catalog pages and the API (same parameters, same meaning)."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tongyun.parties.models import Organisation

from .choices import Category, DeploymentKind, DeviceClass, Severity, SystemStatus
from .models import Device, SlaTerm, System


class SystemFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("搜索"))
    unit = django_filters.ModelChoiceFilter(
        queryset=Organisation.objects.filter(kind="unit"), label=_("用户单位")
    )
    category = django_filters.ChoiceFilter(choices=Category.choices, label=_("类别"))
    deployment_kind = django_filters.ChoiceFilter(choices=DeploymentKind.choices, label=_("部署类型"))
    mlps_level = django_filters.NumberFilter(label=_("等保级别"))
    start_month = django_filters.NumberFilter(
        field_name="service_start", lookup_expr="month", label=_("服务开始月份")
    )
    status = django_filters.ChoiceFilter(choices=SystemStatus.choices, label=_("状态"))

    class Meta:
        model = System
        fields = ["q", "unit", "category", "deployment_kind", "mlps_level", "start_month", "status"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(name__icontains=value) | Q(unit__name__icontains=value) | Q(description__icontains=value)
        )


class DeviceFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("搜索"))
    system = django_filters.NumberFilter(field_name="system_id", label=_("系统"))
    unit = django_filters.NumberFilter(field_name="system__unit_id", label=_("用户单位"))
    kind = django_filters.CharFilter(field_name="kind", lookup_expr="icontains", label=_("设备类型"))
    device_class = django_filters.ChoiceFilter(field_name="device_class", choices=DeviceClass.choices,
                                               label=_("设备大类"))
    town = django_filters.CharFilter(field_name="town", label=_("镇街"))

    class Meta:
        model = Device
        fields = ["q", "system", "unit", "kind", "device_class", "town"]

    def search(self, queryset, name, value):
        condition = (Q(kind__icontains=value) | Q(model__icontains=value) | Q(name__icontains=value)
                     | Q(location__icontains=value) | Q(code=value) | Q(gb28181_id=value))
        if _is_ip(value):
            condition |= Q(ip_address=value)
        return queryset.filter(condition)


class SlaTermFilterSet(django_filters.FilterSet):
    system = django_filters.NumberFilter(field_name="system_id", label=_("系统"))
    unit = django_filters.NumberFilter(field_name="system__unit_id", label=_("用户单位"))
    severity = django_filters.ChoiceFilter(choices=Severity.choices, label=_("故障等级"))

    class Meta:
        model = SlaTerm
        fields = ["system", "unit", "severity"]


class UnitFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label=_("搜索"))

    class Meta:
        model = Organisation
        fields = ["q"]


def _is_ip(value: str) -> bool:
    import ipaddress

    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True
