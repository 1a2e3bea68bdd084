"""Built-in checks for installations without a monitoring system: the asynchronous probe engine and the
check round run by the background worker (tongyun.monitoring.tasks).

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

import asyncio
import contextlib
import datetime as dt
import logging
import math
import os
import re
import shutil
import socket
import ssl
import struct
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from tongyun.core import hooks
from tongyun.domain import check_state
from tongyun.domain.certificates import CertificateUnreadable, not_after

from .choices import CheckKind, DeviceStatus, EventStatus, FaultKind, OutageCause, SourceKind
from .models import AlertSource, Check, CorrelationGroup, DeviceState, Event, Outage

log = logging.getLogger(__name__)

BUILTIN_SOURCE_NAME = "平台内置检测"
SLACK_SECONDS = 5  # a check whose interval ends within this margin runs in this round
BODY_LIMIT = 256 * 1024  # bytes read from an HTTP body when looking for the expected text
USER_AGENT = "tongyun-check/1"


def failures_threshold() -> int:
    return max(1, int(getattr(settings, "TONGYUN_CHECK_FAILURES", 2)))


def default_concurrency() -> int:
    return max(1, int(getattr(settings, "TONGYUN_CHECK_CONCURRENCY", 500)))


# ---------------------------------------------------------------- probes (no Django, no database)


def run_sync(coroutine):
    """Run a coroutine to completion from synchronous code. If this thread already runs an event loop
    (a caller inside async code, or a test session driving a browser), run it on a fresh thread."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    import concurrent.futures

    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


@dataclass(frozen=True)
class Probe:
    id: int
    kind: str
    target: str
    timeout: float = 5.0


@dataclass(frozen=True)
class Result:
    id: int
    ok: bool | None  # None: the probe could not be run at all (no state change)
    detail: str
    ms: float = 0.0
    certificate_not_after: dt.datetime | None = None  # https: the served certificate's expiry


@dataclass
class EngineStats:
    """What a run of the engine did (peak in flight is what the semaphore bounds)."""

    in_flight: int = 0
    peak_in_flight: int = 0
    seconds: float = 0.0
    by_kind: dict = field(default_factory=dict)


def split_expect(url: str) -> tuple[str, str]:
    """('https://h/p', 'OK') from 'https://h/p#expect=OK' — the expected text rides in the fragment."""
    base, sep, fragment = url.partition("#")
    if sep and fragment.startswith("expect="):
        return base, unquote(fragment[len("expect="):])
    return url, ""


def with_expect(url: str, expect: str) -> str:
    from urllib.parse import quote

    base, _old = split_expect(url)
    return f"{base}#expect={quote(expect, safe='')}" if expect else base


def split_host_port(target: str, default_port: int | None = None) -> tuple[str, int]:
    """'host:port', '[v6]:port' or 'v4' → (host, port)."""
    target = target.strip()
    if target.startswith("["):
        host, _, rest = target[1:].partition("]")
        port = rest.lstrip(":")
    elif target.count(":") == 1:
        host, port = target.split(":")
    else:
        host, port = target, ""
    if not port:
        if default_port is None:
            raise ValueError("no port")
        return host, default_port
    number = int(port)
    if not 0 < number < 65536:
        raise ValueError("port out of range")
    return host, number


def _ms(start: float) -> float:
    return (time.perf_counter() - start) * 1000


def _seconds(value: float) -> str:
    return f"{value:g}"


def _error_detail(error: BaseException, timeout: float) -> str:
    if isinstance(error, (asyncio.TimeoutError, TimeoutError)):
        return f"超时（{_seconds(timeout)} 秒）"
    if isinstance(error, ConnectionRefusedError):
        return "连接被拒绝"
    if isinstance(error, socket.gaierror):
        return "无法解析主机名"
    if isinstance(error, ssl.SSLError):
        return f"TLS 握手失败：{error.reason or error}"[:300]
    if isinstance(error, (ConnectionResetError, asyncio.IncompleteReadError)):
        return "连接被对方关闭"
    if isinstance(error, OSError):
        return f"网络错误：{error.strerror or error}"[:300]
    return f"检测出错：{type(error).__name__}"


_TLS: ssl.SSLContext | None = None


def _tls_context() -> ssl.SSLContext:
    global _TLS
    if _TLS is None:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        _TLS = context
    return _TLS


async def _close(writer: asyncio.StreamWriter) -> None:
    writer.close()
    with contextlib.suppress(Exception):
        await asyncio.wait_for(writer.wait_closed(), 1)


def _dechunk(body: bytes) -> bytes:
    out, rest = bytearray(), body
    while rest:
        line, sep, rest = rest.partition(b"\r\n")
        if not sep:
            break
        try:
            size = int(line.split(b";")[0].strip() or b"0", 16)
        except ValueError:
            return body
        if size == 0:
            break
        out += rest[:size]
        rest = rest[size + 2:]
    return bytes(out)


def _served_certificate_expiry(writer: asyncio.StreamWriter) -> dt.datetime | None:
    tls = writer.get_extra_info("ssl_object")
    der = tls.getpeercert(binary_form=True) if tls is not None else None
    try:
        return not_after(der) if der else None
    except CertificateUnreadable:
        return None


async def probe_http(target: str, timeout: float, seen: dict | None = None) -> tuple[bool, str]:
    url, expect = split_expect(target.strip())
    if "://" not in url:
        url = "http://" + url
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return False, "URL 无效"
    https = parts.scheme == "https"
    port = parts.port or (443 if https else 80)
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    host_header = parts.hostname if parts.port is None else f"{parts.hostname}:{parts.port}"
    if ":" in parts.hostname and parts.port is None:
        host_header = f"[{parts.hostname}]"
    reader, writer = await asyncio.open_connection(
        parts.hostname, port, ssl=_tls_context() if https else None,
        server_hostname=parts.hostname if https else None, limit=64 * 1024)
    if https and seen is not None:
        seen["not_after"] = _served_certificate_expiry(writer)
    try:
        writer.write(f"GET {path} HTTP/1.1\r\nHost: {host_header}\r\nUser-Agent: {USER_AGENT}\r\n"
                     f"Accept: */*\r\nConnection: close\r\n\r\n".encode("latin-1", "replace"))
        await writer.drain()
        status_line = await reader.readline()
        match = re.match(rb"HTTP/\d(?:\.\d)? (\d{3})", status_line)
        if not match:
            return False, "不是 HTTP 应答"
        status = int(match.group(1))
        if status >= 400 or not expect:
            return status < 400, f"HTTP {status}"
        headers = await reader.readuntil(b"\r\n\r\n") if status_line else b""
        body = b""
        while len(body) < BODY_LIMIT:
            chunk = await reader.read(64 * 1024)
            if not chunk:
                break
            body += chunk
        if b"transfer-encoding: chunked" in headers.lower():
            body = _dechunk(body)
        found = any(needle and needle in body for needle in (expect.encode("utf-8"),
                                                            expect.encode("gb18030", "ignore")))
        if not found:
            return False, f"HTTP {status}，未找到期望文本“{expect[:50]}”"
        return True, f"HTTP {status}，含期望文本"
    finally:
        await _close(writer)


async def probe_tcp(target: str, timeout: float) -> tuple[bool, str]:
    try:
        host, port = split_host_port(target)
    except ValueError:
        return False, "目标应为 主机:端口"
    _reader, writer = await asyncio.open_connection(host, port)
    await _close(writer)
    return True, "TCP 连接成功"


# ---------------------------------------------------------------- ICMP

ICMP_ECHO_REQUEST = 8
ICMP_ECHO_REPLY = 0
_icmp_method: str | None = None
_icmp_checked = False
_icmp_sequence = 0


def _icmp_checksum(data: bytes) -> int:
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack(f"!{len(data) // 2}H", data))
    total = (total >> 16) + (total & 0xFFFF)
    total += total >> 16
    return ~total & 0xFFFF


def icmp_method() -> str | None:
    """'ping', 'dgram', 'raw' or None — the first way of sending an echo request this process may use.
    TONGYUN_CHECK_ICMP forces one ('off' disables ICMP)."""
    global _icmp_method, _icmp_checked
    forced = os.environ.get("TONGYUN_CHECK_ICMP", "")
    if forced:
        return None if forced == "off" else forced
    if _icmp_checked:
        return _icmp_method
    _icmp_checked = True
    if shutil.which("ping"):
        _icmp_method = "ping"
        return _icmp_method
    for method, kind in (("dgram", socket.SOCK_DGRAM), ("raw", socket.SOCK_RAW)):
        try:
            socket.socket(socket.AF_INET, kind, socket.IPPROTO_ICMP).close()
        except OSError:
            continue
        _icmp_method = method
        return method
    _icmp_method = None
    return None


ICMP_UNAVAILABLE = ("ICMP 不可用：本机没有 ping 程序，也不允许非特权 ICMP 套接字"
                    "（可设置 net.ipv4.ping_group_range 或改用 TCP 检测）")


async def probe_icmp(target: str, timeout: float) -> tuple[bool | None, str]:
    host = target.strip()
    method = icmp_method()
    if method is None:
        return None, ICMP_UNAVAILABLE
    if method == "ping":
        return await _ping_program(host, timeout)
    loop = asyncio.get_running_loop()
    infos = await loop.getaddrinfo(host, None, family=socket.AF_INET)
    address = infos[0][4][0]
    return await _ping_socket(address, timeout, raw=method == "raw")


async def _ping_program(host: str, timeout: float) -> tuple[bool, str]:
    process = await asyncio.create_subprocess_exec(
        "ping", "-n", "-c", "1", "-W", str(max(1, math.ceil(timeout))), host,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    try:
        out, err = await process.communicate()
    except asyncio.CancelledError:
        with contextlib.suppress(ProcessLookupError):
            process.kill()
        raise
    if process.returncode == 0:
        match = re.search(rb"time[=<]([\d.]+)", out)
        return True, f"ping 成功{f'，{match.group(1).decode()} ms' if match else ''}"
    if process.returncode == 1:
        return False, "ping 无应答"
    return False, f"ping 失败：{(err or out).decode(errors='replace').strip()[:200]}"


async def _ping_socket(address: str, timeout: float, raw: bool) -> tuple[bool, str]:
    global _icmp_sequence
    _icmp_sequence = (_icmp_sequence + 1) & 0xFFFF
    sequence = _icmp_sequence
    identifier = (os.getpid() + sequence) & 0xFFFF
    payload = b"tongyun" + struct.pack("!d", time.time())
    header = struct.pack("!BBHHH", ICMP_ECHO_REQUEST, 0, 0, identifier, sequence)
    packet = struct.pack("!BBHHH", ICMP_ECHO_REQUEST, 0, _icmp_checksum(header + payload), identifier,
                         sequence) + payload
    sock = socket.socket(socket.AF_INET, socket.SOCK_RAW if raw else socket.SOCK_DGRAM, socket.IPPROTO_ICMP)
    sock.setblocking(False)
    loop = asyncio.get_running_loop()
    try:
        sock.connect((address, 0))
        await loop.sock_sendall(sock, packet)
        while True:
            data = await loop.sock_recv(sock, 2048)
            if raw:
                data = data[(data[0] & 0x0F) * 4:]  # strip the IP header
            if len(data) < 8:
                continue
            kind, _code, _sum, reply_id, reply_seq = struct.unpack("!BBHHH", data[:8])
            # a datagram socket gets its identifier from the kernel; a raw one sees every reply
            if kind == ICMP_ECHO_REPLY and reply_seq == sequence and (not raw or reply_id == identifier):
                return True, "ping 成功"
    finally:
        sock.close()


# ---------------------------------------------------------------- the engine

PROBES = {CheckKind.HTTP: probe_http, CheckKind.TCP: probe_tcp, CheckKind.ICMP: probe_icmp}


async def probe(check: Probe) -> Result:
    """Run one probe within its timeout; never raises."""
    start = time.perf_counter()
    function = PROBES.get(check.kind)
    if function is None:
        return Result(check.id, None, f"未知检测类型 {check.kind}")
    seen: dict = {}
    arguments = (check.target, check.timeout, seen) if function is probe_http else (check.target, check.timeout)
    try:
        ok, detail = await asyncio.wait_for(function(*arguments), check.timeout)
    except Exception as error:  # a probe's failure is its result
        detail = _error_detail(error, check.timeout)
        if check.kind == CheckKind.ICMP and isinstance(error, ConnectionRefusedError):
            detail = "目标不可达"
        return Result(check.id, False, detail, _ms(start), seen.get("not_after"))
    ms = _ms(start)
    if ok:
        detail = f"{detail}，{ms:.0f} ms"
    return Result(check.id, ok, detail[:300], ms, seen.get("not_after"))


async def run_probes(probes: Sequence[Probe], concurrency: int | None = None,
                     stats: EngineStats | None = None) -> list[Result]:
    """Probe all at once with at most `concurrency` in flight; results in the order of `probes`."""
    semaphore = asyncio.Semaphore(concurrency or default_concurrency())
    stats = stats if stats is not None else EngineStats()
    start = time.perf_counter()

    async def one(item: Probe) -> Result:
        async with semaphore:
            stats.in_flight += 1
            stats.peak_in_flight = max(stats.peak_in_flight, stats.in_flight)
            try:
                return await probe(item)
            finally:
                stats.in_flight -= 1

    results = await asyncio.gather(*(one(p) for p in probes))
    stats.seconds = time.perf_counter() - start
    for item, result in zip(probes, results, strict=True):
        counts = stats.by_kind.setdefault(item.kind, {"ok": 0, "failed": 0, "unknown": 0})
        counts["unknown" if result.ok is None else "ok" if result.ok else "failed"] += 1
    return list(results)


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
    results = run_sync(run_probes(probes, concurrency, stats)) if probes else []
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
