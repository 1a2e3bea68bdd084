import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from tongyun.parties.models import Organisation

from .models import Device, System


class SystemTable(tables.Table):
    row_no = tables.Column(verbose_name=_("序号"))
    name = tables.LinkColumn("catalog:system_detail", args=[tables.A("pk")])
    unit = tables.LinkColumn("catalog:unit_detail", args=[tables.A("unit_id")], accessor="unit__name",
                             order_by="unit__name", verbose_name=_("用户单位"))
    category = tables.Column()
    deployment_kind = tables.Column()
    service_start = tables.DateColumn(format="Y-m-d")
    mlps_level = tables.Column()
    status = tables.Column()

    class Meta:
        model = System
        fields = ("row_no", "name", "unit", "category", "deployment_kind", "service_start", "mlps_level", "status")
        attrs = {"class": "striped"}


# Long Chinese text (device kinds as the tender names them, system names, street addresses) wraps inside
# its cell, so the eleven columns fit a 1366-px window (tests/browser/test_device_layout.py); codes, IPs
# and dates stay on one line.
WRAP = {"td": {"class": "wrap"}, "th": {"class": "wrap"}}


class DeviceTable(tables.Table):
    # Devices run to 100k+: the lazy paginator never counts them all, so the total is not shown.
    lazy_count = True
    code = tables.LinkColumn("catalog:device_detail", args=[tables.A("pk")], empty_values=(), orderable=False,
                             text=lambda record: record.code or record.kind)
    kind = tables.Column(attrs=WRAP)
    model = tables.Column(attrs=WRAP)
    name = tables.Column(attrs=WRAP)
    system = tables.LinkColumn("catalog:system_detail", args=[tables.A("system_id")], accessor="system__name",
                               order_by="system__name", verbose_name=_("所属系统"), attrs=WRAP)
    quantity = tables.Column()
    location = tables.Column(attrs=WRAP)
    warranty_until = tables.DateColumn(format="Y-m-d")

    class Meta:
        model = Device
        fields = ("code", "kind", "device_class", "model", "name", "system", "quantity", "ip_address", "town",
                  "location", "warranty_until")
        attrs = {"class": "striped"}


class UnitTable(tables.Table):
    name = tables.LinkColumn("catalog:unit_detail", args=[tables.A("pk")])
    system_count = tables.Column(verbose_name=_("系统数"))

    class Meta:
        model = Organisation
        fields = ("name", "system_count", "contact_name", "contact_phone")
        attrs = {"class": "striped"}
