"""Import of the real device inventory (设备台账) by Excel or API, and its topology (上联设备).

One record per device, keyed by its code (设备编码): a code already in the platform updates that
device, a new code creates one. The whole batch is checked first — every bad cell is reported with its
row and column (Excel) or item and field (API) — and nothing is written unless every record is good.
Written in bulk (100,000 devices in one go): the validation is plain Python on the rows, not
`full_clean()` per instance, and new devices are inserted level by level of the topology so each one's
upstream already has its id (no second pass of updates).
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from hashlib import blake2b

from django.conf import settings
from django.db import connection, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from tongyun.core.excel import (
    Column,
    Problem,
    SheetSpec,
    WorkbookInvalid,
    iter_sheet_rows,
    read_sheet_fast,
    write_workbook,
)
from tongyun.core.imports import Progress
from tongyun.core.permissions import require
from tongyun.core.scoping import scoped

from .choices import DeviceClass
from .models import Device, System

MAX_DEVICES = 100_000
SHEET_TITLE = "设备台账"
GB28181 = re.compile(r"^\d{20}$")
CODE = re.compile(r"^[^\s\x00-\x1f]{1,64}$")
SIX_PLACES = Decimal("0.000001")
_OCTET = r"(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)"
IPV4 = re.compile(rf"{_OCTET}(?:\.{_OCTET}){{3}}")
# above this many codes, the devices that have a code are read whole instead of by a huge IN (…) list
FULL_READ = 5000

# field → (header, kind, required, max length)
FIELDS = {
    "code": ("设备编码", "text", True, 64),
    "system_id": ("系统ID", "int", True, None),
    "name": ("设备名称", "text", True, 200),
    "kind": ("设备类型", "text", True, 100),
    "device_class": ("设备大类", "text", False, None),
    "model": ("型号", "text", False, 100),
    "serial_number": ("序列号", "text", False, 100),
    "location": ("安装地址", "text", False, 200),
    "town": ("镇街", "text", False, 50),
    "latitude": ("纬度", "decimal", False, None),
    "longitude": ("经度", "decimal", False, None),
    "ip_address": ("IP 地址", "text", False, None),
    "gb28181_id": ("国标编码", "text", False, None),
    "upstream_code": ("上联设备编码", "text", False, 64),
    "install_date": ("安装日期", "date", False, None),
    "warranty_until": ("质保截止", "date", False, None),
}
MODEL_FIELDS = [f for f in FIELDS if f not in ("code", "upstream_code")]
UPDATABLE = [*MODEL_FIELDS, "upstream_id"]


def _class_names() -> dict[str, str]:
    """Device class by its value or its label in any UI language (an English export imports too)."""
    names = {value: value for value in DeviceClass.values}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            names.update({str(label): value for value, label in DeviceClass.choices})
    return names


DEVICE_SHEET = SheetSpec(SHEET_TITLE, [
    *[Column(header, field, kind, required=required, width=12 if kind != "text" else 16)
      for field, (header, kind, required, _length) in FIELDS.items()],
    Column("系统名称", "system.name", "text", read_only=True, width=28),
])


@dataclass
class Summary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def as_dict(self) -> dict:
        return {"created": self.created, "updated": self.updated, "unchanged": self.unchanged}


_PACKED = ("name", "serial_number", "location", "latitude", "longitude", "ip_address", "gb28181_id")
_PACKED_AT = {field: index for index, field in enumerate(_PACKED)}
_SEP, _NONE = "\x1f", "\x00"


class _Row:
    """One device's checked values, compact: the worker holds 100,000 of them (and a digest of each registered
    device) within a web worker's 200 MiB. Reads like the dict it replaces. The values that differ on every
    row (name, serial number, address, coordinates, IP, GB/T 28181 id) are kept as one UTF-8 bytes object —
    one object instead of seven, a third of their memory; coordinates as their 6-place text. A value holding
    the separator keeps the seven as a tuple instead."""

    __slots__ = (*[f for f in FIELDS if f not in _PACKED_AT], "_packed", "pk", "upstream_id", "where")

    def __init__(self, values: dict, where: int = 0):
        self.where = where
        for key, value in values.items():
            if key not in _PACKED_AT:
                setattr(self, key, value)
        packed = [str(v) if isinstance(v, Decimal) else v for v in (values.get(f) for f in _PACKED)]
        if any(value is not None and (_SEP in value or _NONE in value) for value in packed):
            self._packed = tuple(packed)
        else:
            self._packed = _SEP.join(_NONE if value is None else value for value in packed).encode()

    def _unpacked(self) -> tuple:
        packed = self._packed
        if isinstance(packed, tuple):
            return packed
        return tuple(None if text == _NONE else text for text in packed.decode().split(_SEP))

    def __getitem__(self, key: str):
        at = _PACKED_AT.get(key)
        return getattr(self, key) if at is None else self._unpacked()[at]

    def get(self, key: str, default=None):
        at = _PACKED_AT.get(key)
        return getattr(self, key, default) if at is None else self._unpacked()[at]

    def fields(self) -> dict:
        """The stored fields (MODEL_FIELDS), unpacked once."""
        unpacked = dict(zip(_PACKED, self._unpacked(), strict=True))
        return {f: unpacked[f] if f in unpacked else getattr(self, f) for f in MODEL_FIELDS}


# columns whose values repeat from row to row (the same model, town, switch, date …): one object per value
SHARED = frozenset({"system_id", "kind", "device_class", "model", "town", "upstream_code", "install_date",
                    "warranty_until"})


class _Known:
    """A device already registered, as the import needs it: ids and one digest of its stored fields."""

    __slots__ = ("pk", "system_id", "upstream_id", "digest")

    def __init__(self, pk: int, system_id: int, upstream_id: int | None, digest: bytes):
        self.pk, self.system_id, self.upstream_id, self.digest = pk, system_id, upstream_id, digest

    def __getitem__(self, key: str):
        return getattr(self, key)


def _digest(values) -> bytes:
    """The stored fields (MODEL_FIELDS) as 16 bytes, equal for equal values: the file's row and the registered
    device are compared by it instead of keeping 100,000 registered devices' fields in memory. Coordinates
    are compared by their 6-place text, as the database returns and _Row keeps them."""
    if isinstance(values, _Row):
        values = values.fields()
    text = repr(tuple(str(v) if isinstance(v, Decimal) else v for v in (values[f] for f in MODEL_FIELDS)))
    return blake2b(text.encode(), digest_size=16).digest()


class DevicesInvalid(Exception):
    """Records that cannot be imported: [(index or row, field, reason)]."""

    def __init__(self, problems: list[tuple[int, str, str]]):
        super().__init__("; ".join(f"{i} {f}: {r}" for i, f, r in problems[:5]))
        self.problems = problems


# ---------------------------------------------------------------- checking one record


def _text(value) -> str:
    if isinstance(value, float) and value.is_integer():  # a number typed into a text column: 1001, not 1001.0
        value = int(value)
    return "" if value is None else str(value).strip()


def _decimal(value, low: int, high: int):
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value).strip()).quantize(SIX_PLACES, rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError):
        raise ValueError(_("“%(value)s”不是数字") % {"value": value}) from None
    if not low <= number <= high:
        raise ValueError(_("应在 %(low)s 到 %(high)s 之间") % {"low": low, "high": high})
    return number


def _date(value):
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip().replace("/", "-"))
    except ValueError:
        raise ValueError(_("“%(value)s”不是日期（应为 2026-01-31）") % {"value": value}) from None


def _clean(record: dict, classes: dict[str, str], shared: dict | None = None) -> tuple[dict, list[tuple[str, str]]]:
    """The record's values as the model stores them, and its problems (field, reason). Values of the SHARED
    columns are taken from `shared` when an equal one was seen before (100,000 rows, a few hundred values)."""
    out, problems = {}, []
    for field, (_header, kind, required, length) in FIELDS.items():
        raw = record.get(field)
        try:
            if kind == "int":
                if raw in (None, ""):
                    value = None
                elif isinstance(raw, bool):
                    raise ValueError(_("“%(value)s”不是整数") % {"value": raw})
                elif (isinstance(raw, float) and raw.is_integer()) or isinstance(raw, int) \
                        or (isinstance(raw, str) and raw.strip().isdigit()):
                    value = int(raw)
                else:
                    raise ValueError(_("“%(value)s”不是整数") % {"value": raw})
            elif kind == "decimal":
                value = _decimal(raw, -90, 90) if field == "latitude" else _decimal(raw, -180, 180)
            elif kind == "date":
                value = _date(raw)
            else:
                value = _text(raw)
                if length and len(value) > length:
                    raise ValueError(_("不能超过 %(n)s 个字符") % {"n": length})
            if required and value in (None, ""):
                raise ValueError(_("必填"))
        except ValueError as error:
            problems.append((field, str(error)))
            continue
        if shared is not None and field in SHARED:
            value = shared.setdefault((field, value), value)
        out[field] = value
    if out.get("code") and not CODE.match(out["code"]):
        problems.append(("code", _("编码不能含空白或控制字符")))
    if out.get("device_class") is not None:
        value = out["device_class"]
        if value == "":
            out["device_class"] = DeviceClass.OTHER
        elif value in classes:
            out["device_class"] = classes[value]
        else:
            allowed = "、".join(str(label) for _v, label in DeviceClass.choices)
            problems.append(("device_class", _("“%(value)s”不是可选值（%(allowed)s）") % {"value": value,
                                                                                    "allowed": allowed}))
    ip = out.get("ip_address")
    if ip and IPV4.fullmatch(ip):
        pass  # dotted IPv4 without leading zeros is already as the database keeps it (most rows: no parsing)
    elif ip:
        try:
            out["ip_address"] = str(ipaddress.ip_address(ip))
        except ValueError:
            problems.append(("ip_address", _("“%(value)s”不是有效的 IP 地址") % {"value": ip}))
    else:
        out["ip_address"] = None
    if out.get("gb28181_id") and not GB28181.match(out["gb28181_id"]):
        problems.append(("gb28181_id", _("GB/T 28181 编码应为 20 位数字")))
    if (out.get("latitude") is None) != (out.get("longitude") is None) and not any(
            f in ("latitude", "longitude") for f, _r in problems):
        problems.append(("longitude" if out.get("longitude") is None else "latitude", _("经纬度须同时填写或同时留空")))
    if out.get("install_date") and out.get("warranty_until") and out["warranty_until"] < out["install_date"]:
        problems.append(("warranty_until", _("质保截止早于安装日期")))
    if out.get("upstream_code") and out.get("upstream_code") == out.get("code"):
        problems.append(("upstream_code", _("设备不能是自己的上联设备")))
    return out, problems


# ---------------------------------------------------------------- the batch


def _levels(codes: list[str], upstream_of: dict[str, str]) -> dict[str, int] | None:
    """Depth of each new device below devices that exist (0 = upstream exists or none); None on a loop."""
    depth: dict[str, int] = {}
    for start in codes:
        path: list[str] = []
        code = start
        while code in upstream_of and code not in depth:
            if code in path:
                return None
            path.append(code)
            code = upstream_of[code]
        base = depth.get(code, 0)
        for offset, item in enumerate(reversed(path), start=1):
            depth[item] = base + offset
    return depth


def _loop(code: str, upstream_of: dict[str, str]) -> bool:
    seen = set()
    while code in upstream_of:
        if code in seen:
            return True
        seen.add(code)
        code = upstream_of[code]
    return False


def import_devices(user, records: Iterable[tuple[int, dict]]) -> Summary:
    """Apply device records [(row or index, {field: value})] all or nothing (see the module docstring).
    `records` may be a generator: each raw record is dropped once checked (the worker streams a workbook)."""
    require(user, "catalog.import_devices")
    problems: list[tuple[int, str, str]] = []
    if isinstance(records, list) and len(records) > MAX_DEVICES:
        raise DevicesInvalid([(0, "", _("一次最多导入 %(n)s 台设备") % {"n": MAX_DEVICES})])
    classes = _class_names()
    systems = set(scoped(System.objects.all(), user).values_list("pk", flat=True))
    cleaned: dict[str, _Row] = {}
    shared: dict = {}
    for count, (where, record) in enumerate(records, start=1):
        if count > MAX_DEVICES:
            raise DevicesInvalid([(0, "", _("一次最多导入 %(n)s 台设备") % {"n": MAX_DEVICES})])
        values, bad = _clean(record, classes, shared)
        problems += [(where, f, r) for f, r in bad]
        if bad:
            continue
        if values["system_id"] not in systems:
            problems.append((where, "system_id", _("系统ID %(id)s 不存在或无权修改") % {"id": values["system_id"]}))
            continue
        if values["code"] in cleaned:
            problems.append((where, "code", _("编码与第 %(row)s 条重复") % {"row": cleaned[values["code"]].where}))
            continue
        cleaned[values["code"]] = _Row(values, where)
    # The rows are read and checked before the transaction: a worker streaming a large workbook must not hold
    # the database's write lock (SQLite) while it reads, and its progress is written meanwhile.
    del shared
    with transaction.atomic():
        return _check_and_write(cleaned, problems, systems)


def _check_and_write(cleaned: dict[str, _Row], problems: list, systems: set[int]) -> Summary:
    """The checks against the registered devices, then the writes (inside the import's transaction)."""
    upstream_codes = {v["upstream_code"] for v in cleaned.values() if v["upstream_code"]}
    existing = _existing({*cleaned, *upstream_codes})
    for code, values in cleaned.items():
        where = values.where
        known = existing.get(code)
        if known is not None and known["system_id"] not in systems:
            problems.append((where, "code", _("编码已被其他单位的设备使用")))
        up = values["upstream_code"]
        if up and up not in cleaned and (up not in existing or existing[up]["system_id"] not in systems):
            problems.append((where, "upstream_code", _("上联设备“%(code)s”不存在或无权查看") % {"code": up}))
    # a loop through the file's links and the links the platform keeps (codes of existing devices)
    upstream_of = {c: v["upstream_code"] for c, v in cleaned.items() if v["upstream_code"]}
    if upstream_of:
        pk_code = {row["pk"]: c for c, row in existing.items()}
        for code, row in existing.items():
            if code not in upstream_of and row["upstream_id"] in pk_code:
                upstream_of[code] = pk_code[row["upstream_id"]]
        for code in cleaned:
            if code in upstream_of and _loop(code, upstream_of):
                problems.append((cleaned[code].where, "upstream_code", _("上联关系形成环路")))
    if problems:
        raise DevicesInvalid(sorted(problems, key=lambda p: (p[0], list(FIELDS).index(p[1]) if p[1] in FIELDS else 0)))
    del upstream_of  # 100,000 entries the writing does not need: a worker's peak memory is the sum
    return _write(cleaned, existing)


def _existing(codes: set[str]) -> dict[str, _Known]:
    """The devices that have these codes, one query: by IN (…) for a small file, else every device with a
    code, filtered here (a 100,000-item IN list costs more to build and parse than the rows it saves)."""
    devices = Device.objects.exclude(code="") if len(codes) > FULL_READ else Device.objects.filter(code__in=codes)
    rows = devices.values("pk", "code", "system_id", "upstream_id", *[f for f in MODEL_FIELDS if f != "system_id"])
    return {row["code"]: _Known(row["pk"], row["system_id"], row["upstream_id"], _digest(row))
            for row in rows.iterator(chunk_size=5000) if row["code"] in codes}


def _pk_of(code: str, cleaned: dict[str, _Row], existing: dict[str, _Known]) -> int | None:
    """The id of a registered device, or of a new device of the file once inserted (kept in its _Row)."""
    known = existing.get(code)
    if known is not None:
        return known.pk
    row = cleaned.get(code)
    return None if row is None else row.get("pk")


def _write(cleaned: dict[str, _Row], existing: dict[str, _Known]) -> Summary:
    summary = Summary()
    updates: list[tuple[str, bool]] = []  # (code, fields differ); the upstream of a new device is known later
    new_codes = [c for c in cleaned if c not in existing]
    for code, values in cleaned.items():
        row = existing.get(code)
        if row is None:
            continue
        up = values["upstream_code"]
        upstream_id = _pk_of(up, cleaned, existing) if up else None
        differs = row.digest != _digest(values)
        if not differs and (upstream_id == row.upstream_id and (upstream_id is not None or not up)):
            summary.unchanged += 1
            continue
        updates.append((code, differs))
    # new devices, level by level of the topology, so each upstream has its id when its downstream is built
    new_links = {c: cleaned[c]["upstream_code"] for c in new_codes if cleaned[c]["upstream_code"] in cleaned
                 and cleaned[c]["upstream_code"] not in existing}
    depth = _levels(new_codes, new_links) or {}
    by_level: dict[int, list[str]] = {}
    for code in new_codes:
        by_level.setdefault(depth.get(code, 0), []).append(code)
    del new_codes, new_links, depth  # not needed while inserting (memory: see _Row)
    for level in sorted(by_level):
        codes = by_level[level]
        last = Device.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        _insert({**cleaned[c].fields(), "code": c,
                 "upstream_id": _pk_of(cleaned[c]["upstream_code"], cleaned, existing)} for c in codes)
        # ids only grow: the rows above the last id before the insert are this level's (and perhaps a
        # concurrent writer's, which the code check leaves out) — one query instead of an IN list per chunk
        for code, pk in Device.objects.filter(pk__gt=last).exclude(code="").values_list("code", "pk").iterator(
                chunk_size=5000):
            row = cleaned.get(code)
            if row is not None and row.get("pk") is None and code not in existing:  # inserted by this level
                row.pk = pk
        summary.created += len(codes)
    changed = []
    for code, differs in updates:
        values = cleaned[code]
        upstream_id = _pk_of(values["upstream_code"], cleaned, existing) if values["upstream_code"] else None
        if not differs and upstream_id == existing[code].upstream_id:
            summary.unchanged += 1  # its upstream is a device of this file, and the same as before
            continue
        device = Device(pk=existing[code].pk, code=code, upstream_id=upstream_id,
                        **values.fields())
        changed.append(device)
        if len(changed) == 5000:  # in slices: 100,000 model instances at once would not fit a worker's memory
            Device.objects.bulk_update(changed, UPDATABLE, batch_size=500)
            summary.updated += len(changed)
            changed = []
    Device.objects.bulk_update(changed, UPDATABLE, batch_size=500)
    summary.updated += len(changed)
    return summary


def _insert(rows: Iterable[dict]) -> None:
    """INSERT the new devices with executemany: the ORM's bulk_create spends most of a 100,000-row
    import preparing values field by field. Values go through the backend's adapters as the ORM's do."""
    ops = connection.ops
    adapt = {"latitude": ops.adapt_decimalfield_value, "longitude": ops.adapt_decimalfield_value,
             "install_date": ops.adapt_datefield_value, "warranty_until": ops.adapt_datefield_value,
             "ip_address": ops.adapt_ipaddressfield_value}
    defaults = {"quantity": 1, "serial_number": "", "source_text": "", "model": "", "location": "", "town": "",
                "gb28181_id": "", "device_class": DeviceClass.OTHER}
    fields = [*MODEL_FIELDS, "code", "upstream_id", "quantity", "source_text"]
    columns = ", ".join(ops.quote_name(Device._meta.get_field(f).column) for f in fields)
    sql = (f"INSERT INTO {ops.quote_name(Device._meta.db_table)} ({columns}) "
           f"VALUES ({', '.join(['%s'] * len(fields))})")
    if connection.vendor == "postgresql":
        _copy(rows, fields, defaults)
        return
    params = []
    with connection.cursor() as cursor:
        for row in rows:
            values = []
            for field in fields:
                value = row.get(field, defaults.get(field))
                if value is None and field in defaults:
                    value = defaults[field]
                if field in adapt and value is not None:
                    if field in ("latitude", "longitude"):
                        value = adapt[field](Decimal(value), 9, 6)
                    else:
                        value = adapt[field](value)
                values.append(value)
            params.append(values)
            if len(params) == 5000:  # in slices, so the parameters of 100,000 rows never exist at once
                cursor.executemany(sql, params)
                params = []
        if params:
            cursor.executemany(sql, params)


def _copy(rows: Iterable[dict], fields: list[str], defaults: dict) -> None:
    """PostgreSQL: COPY … FROM STDIN, several times faster than an INSERT per row even pipelined. psycopg
    writes dates and decimals itself; the IP address goes as text and the server parses it as inet."""
    ops = connection.ops
    columns = ", ".join(ops.quote_name(Device._meta.get_field(f).column) for f in fields)
    sql = f"COPY {ops.quote_name(Device._meta.db_table)} ({columns}) FROM STDIN"
    rows = iter(rows)
    with connection.cursor() as cursor:
        more = True
        while more:
            # one COPY per 5,000 rows: psycopg queues the data it has not sent yet, and on a busy server that
            # queue would hold a whole 100,000-row COPY in the worker's memory
            more = False
            with cursor.cursor.copy(sql) as copy:
                for count, row in enumerate(rows, start=1):
                    values = []
                    for field in fields:
                        value = row.get(field, defaults.get(field))
                        values.append(defaults[field] if value is None and field in defaults else value)
                    copy.write_row(values)
                    if count == 5000:
                        more = True
                        break


# ---------------------------------------------------------------- Excel and topology


def import_device_workbook(user, content: bytes) -> Summary:
    """The 设备台账 sheet of a workbook, all or nothing; problems name sheet, row and column. For a small file
    read at once (python-calamine, in the request); large files go to the worker (import_device_file)."""
    require(user, "catalog.import_devices")
    return _import_rows(user, read_sheet_fast(content, SHEET_TITLE), None, Progress())


def import_device_file(user, path, progress: Progress) -> dict:
    """The worker's import of a stored workbook (core/imports.py): the sheet is streamed row by row."""
    require(user, "catalog.import_devices")
    stream = iter_sheet_rows(path, SHEET_TITLE)
    return _import_rows(user, stream and iter(stream), stream and stream.total, progress).as_dict()


def describe_summary(summary: dict) -> str:
    return _("导入完成：新增 %(c)s 台，更新 %(u)s 台，未变 %(n)s 台。") % {
        "c": summary.get("created", 0), "u": summary.get("updated", 0), "n": summary.get("unchanged", 0)}


def _import_rows(user, rows, total: int | None, progress: Progress) -> Summary:
    if rows is None:
        raise WorkbookInvalid([Problem(SHEET_TITLE, None, None, _("缺少工作表“%(title)s”") % {"title": SHEET_TITLE})])
    header_number, header = next(rows, (1, ()))
    header = [_text(h) for h in header]
    positions, problems = {}, []
    for field, (title, *_rest) in FIELDS.items():
        if title in header:
            positions[field] = header.index(title)
        elif FIELDS[field][2]:
            problems.append(Problem(SHEET_TITLE, header_number, title, _("缺少此列")))
    if problems:
        raise WorkbookInvalid(problems)

    def records():  # one row at a time: import_devices keeps only the checked values
        count = 0
        for number, values in rows:
            progress.rows(number, total)
            if values is None or all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
                continue
            count += 1
            yield number, {f: values[i] if i < len(values) else None for f, i in positions.items()}
            if count > MAX_DEVICES:
                return
        progress.writing(count)

    try:
        return import_devices(user, records())
    except DevicesInvalid as invalid:
        raise WorkbookInvalid([Problem(SHEET_TITLE, row or None, FIELDS[field][0] if field in FIELDS else None, reason)
                               for row, field, reason in invalid.problems]) from None


def export_device_workbook(user, devices) -> bytes:
    """The devices given (already scoped), in the layout the import reads back."""
    codes = dict(Device.objects.filter(pk__in=devices.exclude(upstream=None).values("upstream_id"))
                 .values_list("pk", "code"))

    class Row:
        def __init__(self, device):
            self._d = device

        def __getattr__(self, name):
            if name == "upstream_code":
                return codes.get(self._d.upstream_id, "")
            if name == "device_class":
                return str(DeviceClass(self._d.device_class).label)
            return getattr(self._d, name)

    devices = devices.exclude(code="")  # the tender's summary rows (no code) are in the catalog workbook
    rows = (Row(d) for d in devices.select_related("system").order_by("id").iterator(chunk_size=2000))
    return write_workbook([(DEVICE_SHEET, rows)])


@transaction.atomic
def set_topology(user, links: list[tuple[int, str, str | None]]) -> int:
    """Set the upstream device of devices by code: [(index, code, upstream code or None)]; all or nothing.
    Returns how many devices changed."""
    require(user, "catalog.import_devices")
    visible = scoped(Device.objects.exclude(code=""), user)
    codes = {c for _i, c, u in links for c in (c, u) if c}
    rows = {code: (pk, up) for pk, code, up in visible.filter(code__in=codes).values_list("pk", "code", "upstream_id")}
    problems = []
    for index, code, up in links:
        if code not in rows:
            problems.append((index, "code", _("设备“%(code)s”不存在或无权修改") % {"code": code}))
        if up and up not in rows:
            problems.append((index, "upstream_code", _("上联设备“%(code)s”不存在或无权查看") % {"code": up}))
        if up and up == code:
            problems.append((index, "upstream_code", _("设备不能是自己的上联设备")))
    if problems:
        raise DevicesInvalid(problems)
    # the links as they will be: the request's, then the platform's above them (one query per level)
    upstream_of: dict[str, str | None] = {code: up for _index, code, up in links}
    todo = {up for up in upstream_of.values() if up and up not in upstream_of}
    while todo:
        found = dict(Device.objects.filter(code__in=todo).values_list("code", "upstream__code"))
        upstream_of.update({code: found.get(code) or None for code in todo})
        todo = {up for up in found.values() if up and up not in upstream_of}
    upstream_of = {code: up for code, up in upstream_of.items() if up}
    for index, code, _up in links:
        if _loop(code, upstream_of):
            problems.append((index, "upstream_code", _("上联关系形成环路")))
    if problems:
        raise DevicesInvalid(problems)
    changed = 0
    for _index, code, up in links:
        pk, current = rows[code]
        target = rows[up][0] if up else None
        if current != target:
            Device.objects.filter(pk=pk).update(upstream_id=target)
            changed += 1
    return changed
