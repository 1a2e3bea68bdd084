"""Built-in checks for installations without a monitoring system: the check round run by the background
worker (tongyun.monitoring.tasks); the asynchronous probe engine it drives is tongyun.monitoring.probes.

A round selects the due checks (by their interval), probes them all at once on one asyncio event loop
with at most `concurrency` probes in flight (a semaphore), then writes the results in bulk. Only state
changes go further (tongyun.domain.check_state): the N-th consecutive failure makes the check *down* and
the first success after that makes it *up* again; each change becomes a firing or resolved event of the
built-in alert source on the same event path as the alerts of Zabbix or Alertmanager (outage,
DeviceState, correlation into incidents).

Probes:
- http: GET the URL (http or https; the certificate is not verified — this checks availability, not
  the certificate), up when the status is < 400 (redirects are not followed). For https the served
  certificate's notAfter is read and announced with the hook "tls_certificate_observed" (the security
  domain keeps the expiring certificate and its reminders, OT-06). An expected text may be
  given in the URL fragment, which is never sent to the server: `https://host/health#expect=OK`.
- tcp: connect to host:port (`[v6]:port` for IPv6).
- icmp: one echo request, by the first method this machine allows: the `ping` program, an unprivileged
  ICMP datagram socket (Linux, net.ipv4.ping_group_range), or a raw socket (root / CAP_NET_RAW). When
  none works the check is not run (result "unknown", the detail says why) — it never counts as down.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import time
from collections.abc import Iterable, Sequence
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from tongyun.core import hooks
from tongyun.domain import check_state

from .choices import CheckKind, DeviceStatus, EventStatus, FaultKind, OutageCause, SourceKind
from .models import AlertSource, Check, CorrelationGroup, DeviceState, Event, Outage
from .probes import (  # noqa: F401  (the probe engine, re-exported: checks.probe, checks.Probe, …)
    ICMP_UNAVAILABLE,
    PROBES,
    EngineStats,
    Probe,
    Result,
    icmp_method,
    probe,
    probe_http,
    probe_icmp,
    probe_tcp,
    run_probes,
    run_sync,
    split_expect,
    split_host_port,
    with_expect,
)

log = logging.getLogger(__name__)

BUILTIN_SOURCE_NAME = "平台内置检测"
SLACK_SECONDS = 5  # a check whose interval ends within this margin runs in this round
BODY_LIMIT = 256 * 1024  # bytes read from an HTTP body when looking for the expected text
USER_AGENT = "tongyun-check/1"


def failures_threshold() -> int:
    return max(1, int(getattr(settings, "TONGYUN_CHECK_FAILURES", 2)))


def default_concurrency() -> int:
    return max(1, int(getattr(settings, "TONGYUN_CHECK_CONCURRENCY", 500)))


# ---------------------------------------------------------------- the round (Django)


def due_checks(now: dt.datetime, limit: int | None = None):
    """Enabled checks whose interval has passed since their last run, the most overdue first."""
    enabled = Check.objects.filter(enabled=True)
    due = Q(last_run_at__isnull=True)
    for interval in enabled.values_list("interval_seconds", flat=True).distinct().order_by():
        due |= Q(interval_seconds=interval,
                 last_run_at__lte=now - dt.timedelta(seconds=max(0, interval - SLACK_SECONDS)))
    checks = enabled.filter(due).order_by(F("last_run_at").asc(nulls_first=True), "id")
    return checks[:limit] if limit else checks


def run_round(now: dt.datetime | None = None, *, concurrency: int | None = None, limit: int | None = None,
              threshold: int | None = None) -> dict:
    """One round: probe the due checks, write the results, feed the state changes to the event path."""
    now = now or timezone.now()
    if limit is None:
        limit = int(getattr(settings, "TONGYUN_CHECK_BATCH", 2500)) or None
    started = time.perf_counter()
    checks = list(due_checks(now, limit).only(
        "id", "system_id", "device_id", "kind", "target", "interval_seconds", "timeout_seconds", "enabled",
        "last_run_at", "last_ok", "last_detail", "consecutive_failures"))
    selected = time.perf_counter()
    stats = EngineStats()
    probes = [Probe(c.pk, c.kind, c.target, float(c.timeout_seconds)) for c in checks]
    results = run_sync(run_probes(probes, concurrency or default_concurrency(), stats)) if probes else []
    probed = time.perf_counter()
    summary = apply_results(checks, results, now, threshold=threshold)
    finished = time.perf_counter()
    summary.update({
        "checks": len(checks), "peak_in_flight": stats.peak_in_flight,
        "select_seconds": round(selected - started, 3), "probe_seconds": round(probed - selected, 3),
        "write_seconds": round(finished - probed, 3), "seconds": round(finished - started, 3),
    })
    return summary


def apply_results(checks: Sequence[Check], results: Iterable[Result], at: dt.datetime, *,
                  threshold: int | None = None) -> dict:
    """Write a round's results in bulk; each state change goes to the event path (one savepoint each)."""
    threshold = threshold or failures_threshold()
    results = list(results)
    transitions: list[tuple[Check, bool, str]] = []
    first_up: dict[int, str] = {}
    touched_devices: set[int] = set()
    counts = {"up": 0, "failed": 0, "unknown": 0}
    for check, result in zip(checks, results, strict=True):
        before = check_state.CheckState(check.last_ok, check.consecutive_failures)
        step = check_state.step(before, result.ok, threshold)
        check.last_run_at = at
        check.last_detail = result.detail[:300]
        check.last_ok, check.consecutive_failures = step.state.last_ok, step.state.consecutive_failures
        counts["unknown" if result.ok is None else "up" if result.ok else "failed"] += 1
        if check.device_id:
            touched_devices.add(check.device_id)
        if step.transition:
            transitions.append((check, step.transition == "up", result.detail))
        elif result.ok and before.last_ok is None and check.device_id:
            first_up[check.device_id] = result.detail
    with transaction.atomic():
        Check.objects.bulk_update(checks, ["last_run_at", "last_ok", "last_detail", "consecutive_failures"],
                                  batch_size=500)
        _touch_device_states(touched_devices, first_up, at)
    _announce_certificates(checks, results, at)
    fed = 0
    source = builtin_source() if transitions else None
    for check, ok, detail in transitions:
        try:
            with transaction.atomic():
                feed_event_path(check, ok, detail, at, threshold=threshold, source=source)
            fed += 1
        except Exception:  # one bad transition must not lose the others
            log.exception("check %s: recording the state change failed", check.pk)
    counts.update({"transitions": len(transitions), "events": fed,
                   "down": sum(1 for _c, ok, _d in transitions if not ok),
                   "recovered": sum(1 for _c, ok, _d in transitions if ok)})
    return counts


def _announce_certificates(checks: Sequence[Check], results: list[Result], at: dt.datetime) -> None:
    """Tell whoever keeps certificates (hook "tls_certificate_observed") what the https checks saw:
    observations = [{"check_id", "system_id", "device_id", "target", "not_after"}]."""
    observations = [{"check_id": check.pk, "system_id": check.system_id, "device_id": check.device_id,
                     "target": split_expect(check.target.strip())[0], "not_after": result.certificate_not_after}
                    for check, result in zip(checks, results, strict=True) if result.certificate_not_after]
    if not observations:
        return
    try:
        with transaction.atomic():
            hooks.fire("tls_certificate_observed", observations=observations, at=at)
    except Exception:  # keeping the certificate must not lose the round's results
        log.exception("recording the served certificates failed")


def _chunks(items: list, size: int = 2000):
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _touch_device_states(device_ids: set[int], first_up: dict[int, str], at: dt.datetime) -> None:
    """Every checked device has a DeviceState with checked_at; the first success turns unknown → up."""
    if not device_ids:
        return
    ids = sorted(device_ids)
    existing = set()
    for chunk in _chunks(ids):
        existing.update(DeviceState.objects.filter(device_id__in=chunk).values_list("device_id", flat=True))
    missing = [i for i in ids if i not in existing]
    DeviceState.objects.bulk_create(
        [DeviceState(device_id=i, status=DeviceStatus.UP if i in first_up else DeviceStatus.UNKNOWN,
                     since=at if i in first_up else None, checked_at=at, detail=first_up.get(i, "")[:300])
         for i in missing], batch_size=1000, ignore_conflicts=True)
    for chunk in _chunks([i for i in ids if i in existing]):
        DeviceState.objects.filter(device_id__in=chunk).update(checked_at=at)
    for chunk in _chunks([i for i in first_up if i in existing]):
        DeviceState.objects.filter(device_id__in=chunk, status=DeviceStatus.UNKNOWN).update(
            status=DeviceStatus.UP, since=at)


# ---------------------------------------------------------------- the event path


def builtin_source() -> AlertSource:
    """The alert source of the platform's own checks (no token can match its random hash)."""
    import secrets

    source, _created = AlertSource.objects.get_or_create(
        name=BUILTIN_SOURCE_NAME,
        defaults={"kind": SourceKind.BUILTIN, "token_hash": secrets.token_hex(32), "token_prefix": "builtin"})
    return source


def feed_event_path(check: Check, ok: bool, detail: str, at: dt.datetime, *, threshold: int | None = None,
                    source: AlertSource | None = None) -> None:
    """Hand a state change of a check to the event path."""
    record_check_result(check, ok, detail, at, threshold=threshold, source=source)


def record_check_result(check: Check, ok: bool, detail: str, at: dt.datetime, *,
                        threshold: int | None = None, source: AlertSource | None = None) -> Event | None:
    """A confirmed state change of `check` (ok=False: down, ok=True: recovered) as an event of the built-in
    source, fingerprint `check-<pk>`: firing dated from the first failed probe, resolved carrying the
    firing's start. Opens / closes the device's outage (cause 平台检测) and sets its DeviceState.
    Idempotent: the same change recorded twice creates nothing new."""
    threshold = threshold or failures_threshold()
    source = source or builtin_source()
    fingerprint = f"check-{check.pk}"
    labels = {"check_id": check.pk, "kind": check.kind, "target": check.target}
    if ok:
        firing = (Event.objects.filter(source=source, fingerprint=fingerprint, status=EventStatus.FIRING)
                  .order_by("-starts_at").first())
        if firing is None or Event.objects.filter(source=source, fingerprint=fingerprint,
                                                  status=EventStatus.RESOLVED, starts_at=firing.starts_at).exists():
            event = None  # nothing was firing: nothing to resolve
        else:
            event = Event.objects.create(
                source=source, fingerprint=fingerprint, status=EventStatus.RESOLVED, starts_at=firing.starts_at,
                ends_at=at, system_id=check.system_id, device_id=check.device_id, severity=firing.severity,
                summary=f"检测恢复：{check} — {detail}"[:500], labels=labels,
                raw={"ok": True, "detail": detail, "at": at.isoformat()}, group_id=firing.group_id)
        _correlate(event, at)
    else:
        starts_at = at - dt.timedelta(seconds=check_state.down_since_offset(threshold, check.interval_seconds))
        event, _created = Event.objects.get_or_create(
            source=source, fingerprint=fingerprint, starts_at=starts_at, status=EventStatus.FIRING,
            defaults={"system_id": check.system_id, "device_id": check.device_id, "severity": "general",
                      "summary": f"检测失败：{check} — {detail}"[:500], "labels": labels,
                      "raw": {"ok": False, "detail": detail, "at": at.isoformat(),
                              "consecutive_failures": check.consecutive_failures}})
        _correlate(event, at)
    if check.device_id:
        _device_after_change(check, ok, detail, at, event, threshold)
    return event


def _correlate(event: Event | None, at: dt.datetime) -> None:
    """Group the event with the others of its system / upstream device into one incident (the alert
    receivers' correlation, tongyun.monitoring.services.correlate_event); a resolve ends its firing."""
    if event is None:
        return
    from . import services

    services.correlate_event(event, now=at)


def _device_after_change(check: Check, ok: bool, detail: str, at: dt.datetime, event: Event | None,
                         threshold: int) -> None:
    statuses = [check_state.status_of(check_state.CheckState(last_ok, failures), threshold)
                for last_ok, failures in Check.objects.filter(device_id=check.device_id, enabled=True)
                .values_list("last_ok", "consecutive_failures")]
    status = check_state.combine(statuses) if statuses else (DeviceStatus.UP if ok else DeviceStatus.DOWN)
    state, _created = DeviceState.objects.get_or_create(device_id=check.device_id)
    if state.status != status:
        state.since = at - dt.timedelta(seconds=check_state.down_since_offset(threshold, check.interval_seconds)) \
            if status == DeviceStatus.DOWN else at
    state.status, state.checked_at, state.detail = status, at, detail[:300]
    state.save()
    open_outages = Outage.objects.filter(device_id=check.device_id, end__isnull=True, cause=OutageCause.CHECK)
    if status == DeviceStatus.DOWN:
        if not open_outages.exists():
            firing = event if event and event.status == EventStatus.FIRING else None
            incident_id = (CorrelationGroup.objects.filter(pk=firing.group_id).values_list("incident_id", flat=True)
                           .first() if firing and firing.group_id else None)
            Outage.objects.create(device_id=check.device_id, system_id=check.system_id, start=state.since or at,
                                  cause=OutageCause.CHECK, fault=FaultKind.OFFLINE, event=firing,
                                  incident_id=incident_id, note=f"{check}：{detail}"[:1000])
    else:
        open_outages.update(end=at)


# ---------------------------------------------------------------- managing checks (writes)

HOST_RE = re.compile(r"^[A-Za-z0-9.\-:\[\]]+$")


def validate_target(kind: str, target: str) -> str:
    """The target cleaned for its kind; ValidationError when it cannot be probed."""
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    target = (target or "").strip()
    if kind == CheckKind.HTTP:
        base, _expect = split_expect(target)
        parts = urlsplit(base if "://" in base else "http://" + base)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValidationError({"target": _("请填写 http:// 或 https:// 开头的网址")})
        try:
            parts.port  # noqa: B018 — raises on a bad port
        except ValueError as error:
            raise ValidationError({"target": _("端口无效")}) from error
        return target if "://" in base else "http://" + target
    if kind == CheckKind.TCP:
        try:
            host, _port = split_host_port(target)
        except ValueError as error:
            raise ValidationError({"target": _("请填写 主机:端口，例如 10.1.2.3:443")}) from error
        if not host or not HOST_RE.match(host):
            raise ValidationError({"target": _("主机名无效")})
        return target
    if kind == CheckKind.ICMP:
        if not target or not HOST_RE.match(target) or (target.count(":") == 1):
            raise ValidationError({"target": _("请填写主机名或 IP 地址（不含端口）")})
        return target
    raise ValidationError({"kind": _("未知检测类型")})


def _may_manage(user) -> None:
    from tongyun.core.permissions import require

    require(user, "monitoring.checks")


def _check_device(system, device) -> None:
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    if device is not None and device.system_id != system.pk:
        raise ValidationError({"device": _("设备不属于该系统")})


def create_check(user, *, system, kind: str, target: str, device=None, interval_seconds: int = 300,
                 timeout_seconds: float = 5, enabled: bool = True) -> Check:
    _may_manage(user)
    _check_device(system, device)
    return Check.objects.create(system=system, device=device, kind=kind, target=validate_target(kind, target),
                                interval_seconds=interval_seconds, timeout_seconds=timeout_seconds,
                                enabled=enabled)


def update_check(user, check: Check, *, kind: str, target: str, device=None, interval_seconds: int,
                 timeout_seconds: float, enabled: bool) -> Check:
    """Edit a check; a new kind or target starts it afresh (its next round decides up or down)."""
    _may_manage(user)
    _check_device(check.system, device)
    target = validate_target(kind, target)
    if (kind, target, device.pk if device else None) != (check.kind, check.target, check.device_id):
        check.last_run_at, check.last_ok, check.last_detail, check.consecutive_failures = None, None, "", 0
    check.kind, check.target, check.device = kind, target, device
    check.interval_seconds, check.timeout_seconds, check.enabled = interval_seconds, timeout_seconds, enabled
    check.save()
    return check


def set_enabled(user, check: Check, enabled: bool) -> Check:
    _may_manage(user)
    check.enabled = enabled
    if enabled:
        check.last_run_at = None  # due at the next round
    check.save(update_fields=["enabled", "last_run_at"])
    return check


def bulk_create_checks(user, system, *, kind: str, port: int | None = None, path: str = "/",
                       https: bool = False, interval_seconds: int = 300, timeout_seconds: float = 5) -> int:
    """One check of `kind` for every device of `system` with an IP address and no check of that kind yet."""
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    _may_manage(user)
    if kind == CheckKind.TCP and not port:
        raise ValidationError({"port": _("TCP 检测需要端口")})
    path = "/" + (path or "").lstrip("/")
    created = []
    devices = system.devices.filter(ip_address__isnull=False).exclude(checks__kind=kind).order_by("pk")
    for device in devices:
        host = f"[{device.ip_address}]" if ":" in device.ip_address else device.ip_address
        if kind == CheckKind.ICMP:
            target = device.ip_address
        elif kind == CheckKind.TCP:
            target = f"{host}:{port}"
        else:
            scheme = "https" if https else "http"
            target = f"{scheme}://{host}{f':{port}' if port else ''}{path}"
        created.append(Check(system=system, device=device, kind=kind, target=target,
                             interval_seconds=interval_seconds, timeout_seconds=timeout_seconds))
    Check.objects.bulk_create(created, batch_size=500)
    return len(created)
