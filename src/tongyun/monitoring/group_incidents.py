"""The incident of each correlation group — reported for a new group, retitled as devices join,
escalated by a more severe alert, annotated when the group fires again — by the service account
`monitoring`. One request touches many groups (a storm interleaves its switches): their titles and
descriptions are built from three queries for all of them and written in one UPDATE."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from typing import NamedTuple

from django.db.models import F, Min, Window
from django.db.models.functions import RowNumber
from django.utils.translation import gettext as _

from tongyun.catalog.models import Device
from tongyun.core.bulk import update_rows
from tongyun.domain import correlation
from tongyun.incidents import services as incident_services
from tongyun.incidents.choices import IncidentSource, IncidentState
from tongyun.incidents.models import Incident
from tongyun.parties.models import User

from .models import CorrelationGroup, Event, Outage

CLOSED_INCIDENT_STATES = (IncidentState.CLOSED, IncidentState.CANCELLED)
FIRED_AGAIN = "告警再次触发（抖动），已并入本工单"
DESCRIPTION_DEVICES = 50


class DeviceRow(NamedTuple):
    pk: int
    name: str
    kind: str
    ip_address: str | None
    location: str
    system_id: int


def refresh(groups: list[CorrelationGroup], members: dict[int, list[Event]], device_counts: dict[int, int],
            service_user: Callable[[], User], *, created: set[int], reopened: set[int], absorbed: dict[int, list[str]],
            settled: set[int] = frozenset(), now: dt.datetime) -> None:
    """Report the incident of each new group (`group.incident` is set; the caller saves the groups);
    retitle, escalate and annotate those of the others (in the name of `service_user()`). `members`: each
    group's events of this request;
    `absorbed`: the severities of the incidents of the groups merged into it (the group's severity is the
    highest of all its alerts, whichever request brought them); `settled`: groups that only gained alerts,
    under the same likely cause (their incident's list of devices can be kept, see `incident_texts`)."""
    live = [g for g in groups if g.pk in created
            or (g.incident is not None and g.incident.state not in CLOSED_INCIDENT_STATES)]
    texts = incident_texts(live, device_counts, {g.pk: members[g.pk][0].summary for g in live if g.pk in created},
                           settled=settled)
    devices = Device.objects.in_bulk({texts[g.pk][2] for g in live if g.pk in created} - {None})
    retitled = []
    for group in live:
        title, description, device_id = texts[group.pk]
        severity = correlation.highest([*(e.severity for e in members[group.pk]), *absorbed.get(group.pk, ())]) \
            or "general"
        if group.pk in created:
            group.incident = incident_services.report_incident(
                service_user(), system=group.system, title=title, severity=severity, description=description,
                device=devices.get(device_id), source=IncidentSource.ALERT, now=now)
            Outage.objects.filter(event__group=group, incident__isnull=True).update(incident=group.incident)
            continue
        incident = group.incident
        if (incident.title, incident.description) != (title, description):
            incident.title, incident.description = title, description
            retitled.append(incident)
    update_rows(Incident, ["title", "description"], retitled)
    for group in live:
        if group.pk in created:
            continue
        severity = correlation.highest([*(e.severity for e in members[group.pk]), *absorbed.get(group.pk, ())]) \
            or "general"
        if correlation.more_severe(severity, group.incident.severity):
            incident_services.reclassify(service_user(), group.incident, note=_("关联告警等级升高"), severity=severity,
                                         now=now)
        if group.pk in reopened:
            incident_services.comment(service_user(), group.incident, FIRED_AGAIN, now=now)


def incident_texts(groups: list[CorrelationGroup], device_counts: dict[int, int], summaries: dict[int, str],
                   *, settled: set[int] = frozenset()) -> dict[int, tuple[str, str, int | None]]:
    """For each group: the title naming it and the number of affected devices; the description listing
    the first 50 devices (in the order they alerted) and how many more; the incident's device (id).
    `summaries`: the first alert's summary of the new groups. A `settled` group whose incident already
    lists 50 devices keeps that list — later alerts cannot change the first 50 — and only its counts are
    rewritten (a storm's group of 500 cameras is not re-read at every request)."""
    if not groups:
        return {}
    texts = _recounted([g for g in groups if g.pk in settled], device_counts)
    groups = [g for g in groups if g.pk not in texts]
    if not groups:
        return texts
    ids = [g.pk for g in groups]
    # the devices of each group's first 200 located alerts (a window over all the groups, one query)
    first_ids: dict[int, list[int]] = defaultdict(list)
    rows = (Event.objects.filter(group_id__in=ids, device__isnull=False).order_by()
            .annotate(rank=Window(RowNumber(), partition_by=[F("group_id")], order_by=[F("pk").asc()]))
            .filter(rank__lte=DESCRIPTION_DEVICES * 4).values_list("group_id", "rank", "device_id"))
    for group_id, _rank, device_id in sorted(rows):
        shown = first_ids[group_id]
        if len(shown) < DESCRIPTION_DEVICES and device_id not in shown:
            shown.append(device_id)
    summaries = dict(summaries)
    unnamed = [g.pk for g in groups if g.pk not in summaries and device_counts.get(g.pk, 0) <= 1]
    if unnamed:  # a group of one device (or none) is titled by its first alert
        firsts = Event.objects.filter(group_id__in=unnamed).values("group_id").annotate(first=Min("pk")).values("first")
        summaries.update(Event.objects.filter(pk__in=firsts).values_list("group_id", "summary"))
    devices = _device_rows({d for shown in first_ids.values() for d in shown}
                           | {g.likely_cause_id for g in groups if g.likely_cause_id})
    texts.update({g.pk: _text(g, device_counts.get(g.pk, 0), summaries.get(g.pk),
                              [devices[d] for d in first_ids.get(g.pk, []) if d in devices],
                              devices.get(g.likely_cause_id) if g.likely_cause_id else None) for g in groups})
    return texts


def _recounted(groups: list[CorrelationGroup], device_counts: dict[int, int]) -> dict[int, tuple[str, str, None]]:
    """The texts of the groups whose incident's description (as `_text` wrote it) lists the full 50
    devices: the same list, with the counts of now; the groups whose description is not such are left out."""
    lists = {}
    for group in groups:
        lines = (group.incident.description if group.incident else "").split("\n")
        shown = [line for line in lines if line.startswith("- ")]
        if len(lines) > 2 and lines[0] == _header(group) and lines[1].startswith("受影响设备：") \
                and len(shown) == DESCRIPTION_DEVICES:
            lists[group.pk] = lines
    if not lists:
        return {}
    causes = _device_rows({g.likely_cause_id for g in groups if g.pk in lists and g.likely_cause_id})
    texts = {}
    for group in groups:
        if group.pk not in lists:
            continue
        count = device_counts.get(group.pk, 0)
        cause = causes.get(group.likely_cause_id)
        kept = [line for line in lists[group.pk][2:] if not line.startswith("……另有 ")]
        title = _title(group, count, "", [], cause)
        texts[group.pk] = (title, "\n".join([_header(group), *_counted(count, DESCRIPTION_DEVICES, kept)]), None)
    return texts


def _device_rows(ids: set[int]) -> dict[int, DeviceRow]:
    """The devices an incident's text names (a thousand for twenty groups: rows, not model instances)."""
    return {row[0]: DeviceRow(*row) for row in Device.objects.filter(pk__in=ids).values_list(*DeviceRow._fields)}


def _header(group: CorrelationGroup) -> str:
    return f"监控告警自动生成（关联组 #{group.pk}，键 {group.key}）。"


def _counted(count: int, shown: int, body: list[str]) -> list[str]:
    """The count line, the cause and device lines, and how many more devices than are listed."""
    lines = [f"受影响设备：{count} 台", *body]
    if count - shown > 0:
        lines.append(f"……另有 {count - shown} 台")
    return lines


def _text(group: CorrelationGroup, count: int, summary: str | None, shown: list[DeviceRow], cause: DeviceRow | None
          ) -> tuple[str, str, int | None]:
    body = []
    if cause is not None:
        body.append(f"可能的共同原因：{_device_label(cause)}（{cause.kind}）")
    body += [f"- {_device_label(d)}（{d.kind}）" for d in shown]
    device = None
    if count == 1 and shown:
        device = shown[0].pk if shown[0].system_id == group.system_id else None
    elif cause is not None and cause.system_id == group.system_id:
        device = cause.pk
    return _title(group, count, summary or "", shown, cause), "\n".join([_header(group),
                                                                          *_counted(count, len(shown), body)]), device


def _title(group: CorrelationGroup, count: int, summary: str, shown: list[DeviceRow], cause: DeviceRow | None) -> str:
    if cause is not None and count > 1:
        title = f"{_device_label(cause)} 下游 {count} 台设备告警"
    elif count > 1:
        kind = group.key.split(":", 2)[2] if ":lbl:" in group.key else group.system.name
        title = f"告警组 {kind}：{count} 台设备告警"
    elif count == 1 and shown:
        title = f"{_device_label(shown[0])}：{summary}"
    else:
        title = f"{group.system.name}：{summary or group.key}"
    return title[:200]


def _device_label(device: DeviceRow) -> str:
    parts = [device.name or device.kind]
    if device.ip_address:
        parts.append(device.ip_address)
    if device.location:
        parts.append(device.location)
    return " · ".join(parts)
