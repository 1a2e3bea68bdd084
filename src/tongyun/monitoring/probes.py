"""The asynchronous probe engine of the built-in checks (no Django, no database): http, tcp and icmp
probes and `run_probes`, which runs many at once with at most `concurrency` in flight. The check round that
selects, probes and records is tongyun.monitoring.checks (which re-exports these names).
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import math
import os
import re
import shutil
import socket
import ssl
import struct
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

from tongyun.domain.certificates import CertificateUnreadable, not_after

from .choices import CheckKind

BODY_LIMIT = 256 * 1024  # bytes read from an HTTP body when looking for the expected text
USER_AGENT = "tongyun-check/1"
DEFAULT_CONCURRENCY = 500  # settings.TONGYUN_CHECK_CONCURRENCY's default; the round passes the setting


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
    semaphore = asyncio.Semaphore(concurrency or DEFAULT_CONCURRENCY)
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
