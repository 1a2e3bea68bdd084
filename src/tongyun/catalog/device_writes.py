"""Writing a checked batch of device records (see device_import.py): the devices already registered with
those codes, then the new devices inserted level by level of the topology — so each one's upstream already
has its id, no second pass of updates — and the changed ones updated in slices (core/bulk.update_rows: the
ORM's bulk_update built a CASE per column and row). Built for 100,000 devices in one go: executemany on
SQLite, COPY on PostgreSQL, and a digest per registered device instead of its fields.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from hashlib import blake2b

from django.db import connection

from tongyun.core.bulk import update_rows

from .choices import DeviceClass
from .device_records import MODEL_FIELDS, CheckedRow
from .models import Device

# above this many codes, the devices that have a code are read whole instead of by a huge IN (…) list
FULL_READ = 5000
UPDATABLE = [*MODEL_FIELDS, "upstream_id"]


@dataclass
class Summary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def as_dict(self) -> dict:
        return {"created": self.created, "updated": self.updated, "unchanged": self.unchanged}


class KnownDevice:
    """A device already registered, as the import needs it: ids and one digest of its stored fields."""

    __slots__ = ("pk", "system_id", "upstream_id", "digest")

    def __init__(self, pk: int, system_id: int, upstream_id: int | None, digest: bytes):
        self.pk, self.system_id, self.upstream_id, self.digest = pk, system_id, upstream_id, digest

    def __getitem__(self, key: str):
        return getattr(self, key)


def digest_of(values) -> bytes:
    """The stored fields (MODEL_FIELDS) as 16 bytes, equal for equal values: the file's row and the registered
    device are compared by it instead of keeping 100,000 registered devices' fields in memory. Coordinates
    are compared by their 6-place text, as the database returns and CheckedRow keeps them."""
    if isinstance(values, CheckedRow):
        values = values.fields()
    text = repr(tuple(str(v) if isinstance(v, Decimal) else v for v in (values[f] for f in MODEL_FIELDS)))
    return blake2b(text.encode(), digest_size=16).digest()


def topology_levels(codes: list[str], upstream_of: dict[str, str]) -> dict[str, int] | None:
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


def registered_devices(codes: set[str]) -> dict[str, KnownDevice]:
    """The devices that have these codes, one query: by IN (…) for a small file, else every device with a
    code, filtered here (a 100,000-item IN list costs more to build and parse than the rows it saves)."""
    devices = Device.objects.exclude(code="") if len(codes) > FULL_READ else Device.objects.filter(code__in=codes)
    rows = devices.values("pk", "code", "system_id", "upstream_id", *[f for f in MODEL_FIELDS if f != "system_id"])
    return {row["code"]: KnownDevice(row["pk"], row["system_id"], row["upstream_id"], digest_of(row))
            for row in rows.iterator(chunk_size=5000) if row["code"] in codes}


def _pk_of(code: str, cleaned: dict[str, CheckedRow], existing: dict[str, KnownDevice]) -> int | None:
    """The id of a registered device, or of a new device of the file once inserted (kept in its CheckedRow)."""
    known = existing.get(code)
    if known is not None:
        return known.pk
    row = cleaned.get(code)
    return None if row is None else row.get("pk")


def write_devices(cleaned: dict[str, CheckedRow], existing: dict[str, KnownDevice]) -> Summary:
    """Create and update the checked devices (inside the import's transaction, after every check)."""
    summary = Summary()
    updates: list[tuple[str, bool]] = []  # (code, fields differ); the upstream of a new device is known later
    new_codes = [c for c in cleaned if c not in existing]
    for code, values in cleaned.items():
        row = existing.get(code)
        if row is None:
            continue
        up = values["upstream_code"]
        upstream_id = _pk_of(up, cleaned, existing) if up else None
        differs = row.digest != digest_of(values)
        if not differs and (upstream_id == row.upstream_id and (upstream_id is not None or not up)):
            summary.unchanged += 1
            continue
        updates.append((code, differs))
    # new devices, level by level of the topology, so each upstream has its id when its downstream is built
    new_links = {c: cleaned[c]["upstream_code"] for c in new_codes if cleaned[c]["upstream_code"] in cleaned
                 and cleaned[c]["upstream_code"] not in existing}
    depth = topology_levels(new_codes, new_links) or {}
    by_level: dict[int, list[str]] = {}
    for code in new_codes:
        by_level.setdefault(depth.get(code, 0), []).append(code)
    del new_codes, new_links, depth  # not needed while inserting (memory: see CheckedRow)
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
            update_rows(Device, UPDATABLE, changed)
            summary.updated += len(changed)
            changed = []
    update_rows(Device, UPDATABLE, changed)
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

