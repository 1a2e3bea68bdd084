"""Import of the real device inventory (设备台账) by Excel or API, and its topology (上联设备).

One record per device, keyed by its code (设备编码): a code already in the platform updates that
device, a new code creates one. The whole batch is checked first — every bad cell is reported with its
row and column (Excel) or item and field (API) — and nothing is written unless every record is good.
Written in bulk (100,000 devices in one go). This module is the batch's course and its Excel and API
faces; a record's fields and checks are in device_records.py, the bulk writes in device_writes.py.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
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
from .device_records import FIELDS, CheckedRow, DevicesInvalid, cell_text, check_record, class_names
from .device_writes import Summary, registered_devices, write_devices
from .models import Device, System

MAX_DEVICES = 100_000
SHEET_TITLE = "设备台账"

DEVICE_SHEET = SheetSpec(SHEET_TITLE, [
    *[Column(header, field, kind, required=required, width=12 if kind != "text" else 16)
      for field, (header, kind, required, _length) in FIELDS.items()],
    Column("系统名称", "system.name", "text", read_only=True, width=28),
])


# ---------------------------------------------------------------- the batch


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
    classes = class_names()
    systems = set(scoped(System.objects.all(), user).values_list("pk", flat=True))
    cleaned: dict[str, CheckedRow] = {}
    shared: dict = {}
    for count, (where, record) in enumerate(records, start=1):
        if count > MAX_DEVICES:
            raise DevicesInvalid([(0, "", _("一次最多导入 %(n)s 台设备") % {"n": MAX_DEVICES})])
        values, bad = check_record(record, classes, shared)
        problems += [(where, f, r) for f, r in bad]
        if bad:
            continue
        if values["system_id"] not in systems:
            problems.append((where, "system_id", _("系统ID %(id)s 不存在或无权修改") % {"id": values["system_id"]}))
            continue
        if values["code"] in cleaned:
            problems.append((where, "code", _("编码与第 %(row)s 条重复") % {"row": cleaned[values["code"]].where}))
            continue
        cleaned[values["code"]] = CheckedRow(values, where)
    # The rows are read and checked before the transaction: a worker streaming a large workbook must not hold
    # the database's write lock (SQLite) while it reads, and its progress is written meanwhile.
    del shared
    with transaction.atomic():
        return _check_and_write(cleaned, problems, systems)


def _check_and_write(cleaned: dict[str, CheckedRow], problems: list, systems: set[int]) -> Summary:
    """The checks against the registered devices, then the writes (inside the import's transaction)."""
    upstream_codes = {v["upstream_code"] for v in cleaned.values() if v["upstream_code"]}
    existing = registered_devices({*cleaned, *upstream_codes})
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
    return write_devices(cleaned, existing)


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
    header = [cell_text(h) for h in header]
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
