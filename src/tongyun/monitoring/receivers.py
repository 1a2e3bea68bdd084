"""Payload parsing: the three receiver formats become one list of `Alert`, and a source's mapping says
how an alert's labels find its system, device and severity. No database access here."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import zoneinfo
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from pydantic import ValidationError as PydanticValidationError

from tongyun.catalog.choices import Severity

from .choices import EventStatus, SourceKind
from .schemas import AlertmanagerAlertIn, AlertmanagerIn, GenericEventIn, ZabbixIn

ZABBIX_SEVERITIES = ["Not classified", "Information", "Warning", "Average", "High", "Disaster"]

COMMON_DEFAULTS: dict[str, Any] = {
    "system_label": "tongyun_system",
    "device_labels": ["device"],
    "device_match": ["ip_address", "code", "name", "gb28181_id", "serial_number"],
    "severity_label": "severity",
    "severity_map": {},
    "default_severity": Severity.GENERAL.value,
    "group_labels": [],
    "window_minutes": 10,
    "systems": {},
}
KIND_DEFAULTS: dict[str, dict[str, Any]] = {
    SourceKind.ALERTMANAGER: {
        "device_labels": ["tongyun_device", "instance"],
        "severity_map": {"critical": "serious", "error": "serious", "page": "urgent", "warning": "general",
                         "info": "minor", "none": "minor"},
        "group_labels": ["alertname"],
    },
    SourceKind.ZABBIX: {
        "device_labels": ["host_ip", "host", "host_name"],
        "severity_map": {"not classified": "minor", "information": "minor", "warning": "general",
                         "average": "general", "high": "serious", "disaster": "urgent"},
        "group_labels": ["host_group"],
    },
    SourceKind.GENERIC: {"device_labels": ["device", "instance"]},
    SourceKind.BUILTIN: {},
}
MAPPING_KEYS = set(COMMON_DEFAULTS)
DEVICE_FIELDS = ("ip_address", "code", "name", "gb28181_id", "serial_number")
EPOCH = dt.datetime(1971, 1, 1, tzinfo=dt.UTC)


def effective_mapping(kind: str, mapping: dict | None) -> dict[str, Any]:
    """The source's mapping over the defaults of its kind."""
    result = {**COMMON_DEFAULTS, **KIND_DEFAULTS.get(kind, {})}
    for key, value in (mapping or {}).items():
        if key == "severity_map" and isinstance(value, dict):
            result[key] = {**result[key], **{str(k).lower(): v for k, v in value.items()}}
        elif key == "device_label":  # a single label is accepted too
            result["device_labels"] = [value] if isinstance(value, str) else value
        else:
            result[key] = value
    return result


def validate_mapping(mapping: Any) -> dict[str, Any]:
    """Check a mapping edited by the bureau; raises ValidationError naming the key at fault."""
    if not isinstance(mapping, dict):
        raise ValidationError({"mapping": _("映射规则须为 JSON 对象")})
    problems: dict[str, str] = {}
    severities = set(Severity.values)
    for key, value in mapping.items():
        where = f"mapping.{key}"
        if key not in MAPPING_KEYS | {"device_label"}:
            problems[where] = _("未知的键；可用：%(keys)s") % {"keys": ", ".join(sorted(MAPPING_KEYS))}
        elif key in ("system_label", "severity_label", "device_label"):
            if not isinstance(value, str) or not value.strip():
                problems[where] = _("须为非空字符串")
        elif key in ("device_labels", "group_labels"):
            if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
                problems[where] = _("须为字符串数组")
        elif key == "device_match":
            if (not isinstance(value, list) or not value
                    or not all(v in DEVICE_FIELDS for v in value)):
                problems[where] = _("须为数组，取值：%(values)s") % {"values": ", ".join(DEVICE_FIELDS)}
        elif key == "severity_map":
            if not isinstance(value, dict):
                problems[where] = _("须为对象：告警等级 → 故障等级")
            else:
                wrong = [k for k, v in value.items() if v not in severities]
                if wrong:
                    problems[where] = _("“%(keys)s”的故障等级须为：%(values)s") % {
                        "keys": "、".join(map(str, wrong)), "values": ", ".join(severities)}
        elif key == "default_severity":
            if value not in severities:
                problems[where] = _("须为：%(values)s") % {"values": ", ".join(severities)}
        elif key == "window_minutes":
            if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= 1440:
                problems[where] = _("须为 1 到 1440 之间的分钟数")
        elif key == "systems" and (not isinstance(value, dict)
                                   or not all(isinstance(v, int) and not isinstance(v, bool)
                                              for v in value.values())):
            problems[where] = _("须为对象：标签值 → 系统编号（整数）")
    if problems:
        raise ValidationError(problems)
    return mapping


@dataclass
class Alert:
    """One alert, whatever format it came in."""

    fingerprint: str
    status: str
    starts_at: dt.datetime
    ends_at: dt.datetime | None
    labels: dict[str, str]
    summary: str
    raw: dict
    system_ref: str | int | None = None  # explicit (generic, zabbix `system`); else from the labels
    device_ref: str | None = None
    severity_ref: str | None = None
    extra: dict = field(default_factory=dict)

    @property
    def key(self) -> tuple[str, dt.datetime, str]:
        return self.fingerprint, self.starts_at, self.status


def _aware(moment: dt.datetime | None) -> dt.datetime | None:
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zoneinfo.ZoneInfo(settings.TIME_ZONE))
    if moment < EPOCH:  # Alertmanager's "0001-01-01T00:00:00Z": not set
        return None
    return moment.astimezone(dt.UTC)


def labels_fingerprint(labels: dict[str, str]) -> str:
    return hashlib.sha256(json.dumps(labels, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:16]


def parse_alertmanager(payload: AlertmanagerIn) -> list[Alert]:
    """Every alert of a validated webhook body (one bad alert fails the whole body: see `parse_batch`)."""
    return [_alertmanager_alert(payload, item) for item in payload.alerts]


def _alertmanager_alert(payload: AlertmanagerIn, item: AlertmanagerAlertIn) -> Alert:
    envelope = {"receiver": payload.receiver, "groupKey": payload.groupKey, "externalURL": payload.externalURL}
    labels = {**payload.commonLabels, **item.labels}
    annotations = {**payload.commonAnnotations, **item.annotations}
    summary = annotations.get("summary") or annotations.get("description") or labels.get("alertname", "")
    starts_at = _aware(item.startsAt)
    if starts_at is None:
        raise ValidationError({"startsAt": _("告警开始时间无效")})
    return Alert(
        fingerprint=item.fingerprint or labels_fingerprint(labels), status=item.status, starts_at=starts_at,
        ends_at=_aware(item.endsAt) if item.status == EventStatus.RESOLVED else None,
        labels=labels, summary=summary[:500], raw={**item.model_dump(mode="json"), "_webhook": envelope})


@dataclass
class Batch:
    """A batch body split into the alerts that can be stored and the items refused, each with its errors
    (`loc` as in a 422: ["body", "alerts", 3, "labels", "job"])."""

    alerts: list[Alert]
    rejected: list[dict]


def _errors(prefix: list, error: PydanticValidationError | ValidationError) -> list[dict]:
    if isinstance(error, PydanticValidationError):
        return [{"loc": [*prefix, *e["loc"]], "msg": e["msg"], "type": e["type"]} for e in error.errors()]
    return [{"loc": [*prefix, name], "msg": " ".join(messages), "type": "value_error"}
            for name, messages in error.message_dict.items()]


def parse_alertmanager_batch(data: Any) -> Batch:
    """An Alertmanager webhook body, alert by alert: a NUL byte in one alert's label refuses that alert only.

    Alertmanager resends a notification it sees fail, with the same alerts: refusing the whole body for
    one bad alert would bring the good ones back forever and never store them. The envelope (status,
    common labels) is shared by every alert: if it is invalid the whole body is (a 422, which
    Alertmanager does not resend)."""
    if not isinstance(data, dict):
        raise BatchInvalid([{"loc": ["body"], "msg": "须为 Alertmanager webhook 的 JSON 对象", "type": "dict_type"}])
    items = data.get("alerts")
    errors = [] if isinstance(items, list) else [{"loc": ["body", "alerts"], "msg": "须为告警数组",
                                                   "type": "list_type"}]
    try:
        envelope = AlertmanagerIn.model_validate({**data, "alerts": []})
    except PydanticValidationError as error:
        errors += _errors(["body"], error)
    if errors:
        raise BatchInvalid(errors)
    batch = Batch([], [])
    for index, item in enumerate(items):
        try:
            batch.alerts.append(_alertmanager_alert(envelope, AlertmanagerAlertIn.model_validate(item)))
        except (PydanticValidationError, ValidationError) as error:
            batch.rejected.append({"index": index, "errors": _errors(["body", "alerts", index], error)})
    return batch


class BatchInvalid(Exception):
    """Nothing in the body can be stored; `errors` are 422 details."""

    def __init__(self, errors: list[dict]):
        super().__init__(errors)
        self.errors = errors


def _zabbix_moment(date: str, time: str, field_name: str) -> dt.datetime | None:
    if not date.strip() and not time.strip():
        return None
    text = f"{date.strip()} {time.strip()}"
    for pattern in ("%Y.%m.%d %H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y.%m.%d %H:%M", "%Y-%m-%d %H:%M"):
        try:
            return _aware(dt.datetime.strptime(text, pattern))
        except ValueError:
            continue
    raise ValidationError({field_name: _("时间格式应为 YYYY.MM.DD 与 HH:MM:SS")})


def parse_zabbix(payload: ZabbixIn) -> list[Alert]:
    """One Zabbix event (problem or recovery); an update/acknowledge operation yields nothing."""
    if payload.event_update.strip() == "1":
        return []
    starts_at = _zabbix_moment(payload.event_date, payload.event_time, "event_date")
    if starts_at is None:
        raise ValidationError({"event_date": _("缺少事件时间")})
    labels = {"trigger": payload.trigger_name, "severity": payload.severity or "Not classified"}
    for name, value in (("host", payload.host_host), ("host_name", payload.host_name),
                        ("host_ip", payload.host_ip), ("host_group", payload.host_group),
                        ("trigger_id", payload.trigger_id)):
        if value:
            labels[name] = value
    tags = payload.event_tags
    if isinstance(tags, str) and tags.strip():
        try:
            tags = json.loads(tags)
        except ValueError as error:
            raise ValidationError({"event_tags": _("须为 {EVENT.TAGSJSON} 的 JSON")}) from error
    if isinstance(tags, list):
        for tag in tags:
            if isinstance(tag, dict) and tag.get("tag"):
                labels.setdefault(str(tag["tag"]), str(tag.get("value", "")))
    elif tags not in (None, ""):
        raise ValidationError({"event_tags": _("须为 {EVENT.TAGSJSON} 的 JSON")})
    recovered = payload.event_value == "0"
    ends_at = _zabbix_moment(payload.recovery_date, payload.recovery_time, "recovery_date") if recovered else None
    return [Alert(fingerprint=f"zabbix:{payload.event_id}", status=EventStatus.RESOLVED if recovered else
                  EventStatus.FIRING, starts_at=starts_at, ends_at=ends_at, labels=labels,
                  summary=payload.trigger_name[:500], raw=payload.model_dump(mode="json"),
                  system_ref=payload.system or None)]


def _generic_alert(event: GenericEventIn) -> Alert:
    starts_at = _aware(event.starts_at)
    if starts_at is None:
        raise ValidationError({"starts_at": _("开始时间无效")})
    return Alert(
        fingerprint=event.fingerprint, status=event.status, starts_at=starts_at,
        ends_at=_aware(event.ends_at) if event.status == EventStatus.RESOLVED else None,
        labels=dict(event.labels), summary=event.summary or event.labels.get("alertname", ""),
        raw=event.model_dump(mode="json"), system_ref=event.system, device_ref=event.device,
        severity_ref=event.severity or None)


def parse_generic(events: list[GenericEventIn]) -> list[Alert]:
    return [_generic_alert(event) for event in events]


def parse_generic_batch(data: Any) -> Batch:
    """One event object (refused whole if invalid) or an array of them (each refused on its own, as for
    Alertmanager: a sender resending the array must not bring back the events already stored)."""
    single = not isinstance(data, list)
    batch = Batch([], [])
    for index, item in enumerate([data] if single else data):
        prefix = ["body"] if single else ["body", index]
        try:
            batch.alerts.append(_generic_alert(GenericEventIn.model_validate(item)))
        except (PydanticValidationError, ValidationError) as error:
            batch.rejected.append({"index": index, "errors": _errors(prefix, error)})
    return batch


def device_reference(alert: Alert, mapping: dict) -> str | None:
    if alert.device_ref:
        return alert.device_ref
    for name in mapping["device_labels"]:
        if alert.labels.get(name):
            return alert.labels[name]
    return None


def strip_port(value: str) -> str:
    """"10.0.0.5:9100" → "10.0.0.5"; "[fe80::1]:9100" → "fe80::1"; a bare IPv6 address stays."""
    value = value.strip()
    if value.startswith("[") and "]" in value:
        return value[1:value.index("]")]
    if value.count(":") == 1:
        return value.split(":", 1)[0]
    return value


def system_reference(alert: Alert, mapping: dict) -> str | int | None:
    reference = alert.system_ref if alert.system_ref not in (None, "") else alert.labels.get(mapping["system_label"])
    if isinstance(reference, str) and reference in mapping.get("systems", {}):
        return mapping["systems"][reference]
    return reference


def severity_of(alert: Alert, mapping: dict) -> str:
    raw = alert.severity_ref if alert.severity_ref else alert.labels.get(mapping["severity_label"], "")
    raw = (raw or "").strip()
    if raw in Severity.values:
        return raw
    mapped = mapping["severity_map"].get(raw.lower())
    return mapped if mapped in Severity.values else mapping["default_severity"]
