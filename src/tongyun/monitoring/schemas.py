"""API shapes of monitoring: the three receiver payloads, alert sources, events and groups."""

import re
from datetime import datetime
from typing import Any, Literal

from ninja import Field, Schema
from pydantic import ConfigDict, field_validator

from tongyun.catalog.choices import Severity
from tongyun.core.openapi import document_schema
from tongyun.core.schemas import FilterSchema, Id, InputSchema

from .choices import EventStatus, SourceKind

UNRESOLVED_MACRO = re.compile(r"^\{[A-Z0-9_.]+(\:[^}]*)?\}$")


# ---------------------------------------------------------------- receivers


class AlertmanagerAlertIn(InputSchema):
    """One alert of an Alertmanager webhook (https://prometheus.io/docs/alerting/latest/configuration/#webhook_config)."""

    model_config = ConfigDict(extra="allow")

    status: Literal["firing", "resolved"]
    labels: dict[str, str]
    annotations: dict[str, str] = {}
    startsAt: datetime  # noqa: N815 (the payload's own names)
    endsAt: datetime | None = None  # noqa: N815
    generatorURL: str = ""  # noqa: N815
    fingerprint: str = Field("", max_length=200)


@document_schema
class AlertmanagerIn(InputSchema):
    """The webhook body Alertmanager posts (version "4")."""

    model_config = ConfigDict(extra="allow")

    version: str = "4"
    groupKey: str = ""  # noqa: N815
    truncatedAlerts: int = 0  # noqa: N815
    status: Literal["firing", "resolved"]
    receiver: str = ""
    groupLabels: dict[str, str] = {}  # noqa: N815
    commonLabels: dict[str, str] = {}  # noqa: N815
    commonAnnotations: dict[str, str] = {}  # noqa: N815
    externalURL: str = ""  # noqa: N815
    alerts: list[AlertmanagerAlertIn]


class ZabbixIn(InputSchema):
    """The parameters of the tongyun webhook media type (docs/monitoring.md). Zabbix leaves a macro it
    cannot expand as written ("{EVENT.RECOVERY.DATE}"): such values count as empty."""

    model_config = ConfigDict(extra="allow")

    event_id: str = Field(..., min_length=1, max_length=100, description="{EVENT.ID}")
    event_value: Literal["0", "1"] = Field(..., description="{EVENT.VALUE}: 1 问题, 0 恢复")
    event_update: str = Field("0", description="{EVENT.UPDATE.STATUS}: 1 表示确认/更新操作（忽略）")
    trigger_name: str = Field(..., min_length=1, description="{EVENT.NAME} 或 {TRIGGER.NAME}")
    trigger_id: str = Field("", description="{TRIGGER.ID}")
    severity: str = Field("", description="{EVENT.SEVERITY}: Not classified/Information/Warning/Average/High/Disaster")
    host_name: str = Field("", description="{HOST.NAME}")
    host_host: str = Field("", description="{HOST.HOST}")
    host_ip: str = Field("", description="{HOST.IP}")
    host_group: str = Field("", description="{TRIGGER.HOSTGROUP.NAME}")
    event_date: str = Field(..., description="{EVENT.DATE}，如 2026.03.01")
    event_time: str = Field(..., description="{EVENT.TIME}，如 08:15:00")
    recovery_date: str = Field("", description="{EVENT.RECOVERY.DATE}")
    recovery_time: str = Field("", description="{EVENT.RECOVERY.TIME}")
    event_tags: Any = Field(None, description="{EVENT.TAGSJSON}: [{\"tag\": …, \"value\": …}]")
    system: str = Field("", description="可选：统运系统编号或名称（也可用标签 tongyun_system）")
    url: str = Field("", description="可选：Zabbix 前端链接")

    @field_validator("*", mode="before")
    @classmethod
    def _unexpanded_macro_is_empty(cls, value):
        if isinstance(value, str) and UNRESOLVED_MACRO.match(value.strip()):
            return ""
        return value


@document_schema
class GenericEventIn(InputSchema):
    """One event of the generic receiver; post one object or an array of them."""

    fingerprint: str = Field(..., min_length=1, max_length=200)
    status: EventStatus
    starts_at: datetime
    ends_at: datetime | None = None
    system: Id | str | None = Field(None, description="系统编号（id）或名称")
    device: str | None = Field(None, description="设备 IP、名称或序列号")
    severity: str = Field("", description="minor/general/serious/urgent，或来源映射里的等级")
    summary: str = Field("", max_length=500)
    labels: dict[str, str] = {}


class AlertRejectedOut(Schema):
    index: int = Field(..., description="位置：告警数组（或事件数组）中的下标")
    errors: list[dict[str, Any]] = Field(..., description="与 422 相同的错误：loc、msg、type")


class ReceivedOut(Schema):
    received: int
    created: int
    duplicates: int
    unmapped: int
    ignored: int = 0
    groups: list[int]
    incidents: list[int]
    rejected: list[AlertRejectedOut] = Field([], description="未保存的告警及原因；其余告警已保存")


class MonitoringMessage(Schema):
    detail: Any
    errors: dict[str, Any] | None = None


# ---------------------------------------------------------------- sources


class SourceIn(InputSchema):
    name: str = Field(..., min_length=1, max_length=100)
    kind: SourceKind
    enabled: bool = True
    default_system_id: Id | None = None
    mapping: dict[str, Any] = {}


class SourcePatch(InputSchema):
    name: str | None = Field(None, min_length=1, max_length=100)
    enabled: bool | None = None
    default_system_id: Id | None = None
    mapping: dict[str, Any] | None = None


class SourceOut(Schema):
    id: int
    name: str
    kind: str
    enabled: bool
    default_system_id: int | None
    token_prefix: str
    mapping: dict[str, Any]
    effective_mapping: dict[str, Any]
    created_at: datetime
    receiver_path: str


class SourceWithTokenOut(SourceOut):
    token: str = Field(..., description="只显示这一次；平台只保存其摘要")


# ---------------------------------------------------------------- events and groups


class EventFilters(FilterSchema):
    source: Id | None = None
    status: EventStatus | None = None
    system: Id | None = None
    unmapped: bool | None = None
    group: Id | None = None


class AlertEventOut(Schema):
    id: int
    source_id: int
    fingerprint: str
    status: str
    starts_at: datetime
    ends_at: datetime | None
    received_at: datetime
    system_id: int | None
    device_id: int | None
    severity: str
    summary: str
    labels: dict[str, Any]
    group_id: int | None
    unmapped: bool


class GroupOut(Schema):
    id: int
    key: str
    system_id: int
    likely_cause_id: int | None
    opened_at: datetime
    last_event_at: datetime
    closed_at: datetime | None
    incident_id: int | None
    firing_count: int


class DeviceBrief(Schema):
    id: int
    name: str
    kind: str
    ip_address: str | None
    location: str


class GroupDetailOut(GroupOut):
    severity: Severity | None
    devices: list[DeviceBrief]
    device_count: int
    events: list[AlertEventOut]
