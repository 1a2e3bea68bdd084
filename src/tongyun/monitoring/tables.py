import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import CorrelationGroup, Event


class EventTable(tables.Table):
    received_at = tables.DateTimeColumn(format="Y-m-d H:i:s", verbose_name=_("接收时间"))
    source = tables.Column(accessor="source__name", verbose_name=_("来源"), order_by="source__name")
    status = tables.Column(verbose_name=_("状态"))
    severity = tables.Column(verbose_name=_("等级"), default="—")
    summary = tables.Column(verbose_name=_("摘要"))
    system = tables.Column(accessor="system__name", verbose_name=_("系统"), default="—", order_by="system__name")
    device = tables.Column(accessor="device", verbose_name=_("设备"), default="—", orderable=False)
    starts_at = tables.DateTimeColumn(format="Y-m-d H:i:s", verbose_name=_("开始"))
    ends_at = tables.DateTimeColumn(format="Y-m-d H:i:s", verbose_name=_("结束"), default="—")
    group = tables.Column(accessor="group_id", verbose_name=_("关联组"), default="—")

    class Meta:
        model = Event
        fields = ("received_at", "source", "status", "severity", "summary", "system", "device", "starts_at",
                  "ends_at", "group")
        attrs = {"class": "striped", "data-testid": "event-table"}

    def render_status(self, record, value):
        if record.unmapped:
            return format_html('{} <mark data-testid="unmapped">{}</mark>', value, _("未映射"))
        return value

    def render_device(self, record):
        device = record.device
        return format_html('<a href="{}">{}</a>', reverse("catalog:device_detail", args=[device.pk]),
                           device.name or device.kind)

    def render_group(self, value):
        return format_html('<a href="{}">#{}</a>', reverse("monitoring:group_detail", args=[value]), value)


class GroupTable(tables.Table):
    id = tables.Column(verbose_name=_("关联组"))
    system = tables.Column(accessor="system__name", verbose_name=_("系统"), order_by="system__name")
    likely_cause = tables.Column(verbose_name=_("可能的共同原因"), default="—", orderable=False)
    opened_at = tables.DateTimeColumn(format="Y-m-d H:i", verbose_name=_("开始"))
    closed_at = tables.DateTimeColumn(format="Y-m-d H:i", verbose_name=_("全部恢复"), default="—")
    firing_count = tables.Column(verbose_name=_("告警中"))
    incident = tables.Column(verbose_name=_("故障工单"), default="—", orderable=False)

    class Meta:
        model = CorrelationGroup
        fields = ("id", "system", "likely_cause", "opened_at", "closed_at", "firing_count", "incident")
        attrs = {"class": "striped", "data-testid": "group-table"}

    def render_id(self, value):
        return format_html('<a href="{}">#{}</a>', reverse("monitoring:group_detail", args=[value]), value)

    def render_likely_cause(self, value):
        return value.name or value.kind

    def render_incident(self, value):
        return format_html('<a href="{}">{}</a>', reverse("incidents:detail", args=[value.pk]), value.number)
