"""A device record of the inventory (设备台账) as the import checks it: its fields, the checks of one
record, and the compact form each checked record is kept in while a batch of up to 100,000 is checked.

Plain Python on the values, not `full_clean()` per instance: the import (device_import.py) checks a
whole batch before writing anything (device_writes.py).
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from .choices import DeviceClass

GB28181 = re.compile(r"^\d{20}$")
CODE = re.compile(r"^[^\s\x00-\x1f]{1,64}$")
SIX_PLACES = Decimal("0.000001")
_OCTET = r"(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)"
IPV4 = re.compile(rf"{_OCTET}(?:\.{_OCTET}){{3}}")

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


def class_names() -> dict[str, str]:
    """Device class by its value or its label in any UI language (an English export imports too)."""
    names = {value: value for value in DeviceClass.values}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            names.update({str(label): value for value, label in DeviceClass.choices})
    return names


class DevicesInvalid(Exception):
    """Records that cannot be imported: [(index or row, field, reason)]."""

    def __init__(self, problems: list[tuple[int, str, str]]):
        super().__init__("; ".join(f"{i} {f}: {r}" for i, f, r in problems[:5]))
        self.problems = problems


_PACKED = ("name", "serial_number", "location", "latitude", "longitude", "ip_address", "gb28181_id")
_PACKED_AT = {field: index for index, field in enumerate(_PACKED)}
_SEP, _NONE = "\x1f", "\x00"


class CheckedRow:
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


# ---------------------------------------------------------------- checking one record


def cell_text(value) -> str:
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


def check_record(record: dict, classes: dict[str, str],
                 shared: dict | None = None) -> tuple[dict, list[tuple[str, str]]]:
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
                value = cell_text(raw)
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

