"""Duty rosters (值班表): rotations in layers, hand-overs, overrides, and the coverage check.

Pure Python, no Django. A roster is modelled as on-call tools do:

- a **layer** is a rotation: its members take turns of ``shift`` length, the first turn starting at
  ``start`` (the hand-over time); a layer may cover only some days (``days``: the dates it applies on,
  worked out by :func:`layer_days` from an RRULE and the working calendar — working days, rest days
  including the official holidays, or every day) and only a daily ``window`` of local hours
  (e.g. 08:00–20:00; an end at or before the start wraps past midnight);
- layers are stacked: where two cover the same moment the **later (higher) layer wins**;
- an **override** puts one person on duty for an interval above every layer (a swap, a sick day).

The final schedule is the list of :class:`Slot` (who is on duty from when to when); the coverage check
lists the **gaps** — the intervals of a period nobody is on duty — so a 7×24 system's uncovered hours
are known before they happen.

All instants are aware datetimes; internally they are POSIX seconds (ints), which keeps the check of a
year of rosters for every system fast.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from . import schedules
from .working_calendar import WorkingCalendar

SHANGHAI = ZoneInfo("Asia/Shanghai")
DAY_KINDS = ("all", "working", "rest")


class RosterError(ValueError):
    """A layer the roster cannot use (no members, a shift of no length, a naive datetime)."""


@dataclass(frozen=True)
class Layer:
    start: datetime  # the first hand-over
    shift: timedelta  # length of one turn
    members: tuple[Hashable, ...]  # in turn order
    days: frozenset[date] | None = None  # local dates the layer covers; None: every day
    window: tuple[time, time] | None = None  # local hours covered on each of those days; None: all day
    name: str = ""


@dataclass(frozen=True)
class Override:
    start: datetime
    end: datetime
    member: Hashable


@dataclass(frozen=True)
class Slot:
    start: datetime
    end: datetime
    member: Hashable
    source: str  # the layer's name, or "override"


def _ts(moment: datetime, what: str = "moment") -> int:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise RosterError(f"{what} must be timezone-aware")
    return int(moment.timestamp())


def _dt(ts: int) -> datetime:
    return datetime.fromtimestamp(ts, UTC)


def layer_days(start: date, end: date, calendar: WorkingCalendar, *, kind: str = "all",
               rrule_text: str = "") -> frozenset[date]:
    """The dates from ``start`` to ``end`` (inclusive) a layer covers: the RRULE's days (every day when
    empty), kept when the working calendar says they are of ``kind`` — "working" (工作日, make-up
    Saturdays included), "rest" (weekends and official holidays) or "all"."""
    if kind not in DAY_KINDS:
        raise RosterError(f"unknown day kind {kind!r}")
    if rrule_text:
        days = [o.day for o in schedules.occurrences("daily", start, end, calendar, rrule_text=rrule_text)]
    else:
        days = [start + timedelta(days=n) for n in range((end - start).days + 1)]
    if kind == "working":
        days = [d for d in days if calendar.is_working_day(d)]
    elif kind == "rest":
        days = [d for d in days if not calendar.is_working_day(d)]
    return frozenset(days)


@lru_cache(maxsize=64)
def _midnights(tz: ZoneInfo, first: date, days: int) -> tuple[int, ...]:
    """POSIX seconds of local midnight of `first` … `first + days` (one more than `days`)."""
    return tuple(int(datetime.combine(first + timedelta(days=n), time(0), tz).timestamp()) for n in range(days + 1))


def _seconds(t: time) -> int:
    return t.hour * 3600 + t.minute * 60 + t.second


def _active_spans(layer: Layer, a: int, b: int, tz: ZoneInfo) -> list[tuple[int, int]]:
    """The intervals inside [a, b) where the layer applies (its days and daily window). Window times are
    counted from local midnight (exact in zones without a clock change inside the window, as Asia/Shanghai)."""
    if layer.days is None and layer.window is None:
        return [(a, b)]
    return list(_spans(layer.days, layer.window, a, b, tz))


@lru_cache(maxsize=512)
def _spans(days: frozenset[date] | None, window: tuple[time, time] | None, a: int, b: int,
           tz: ZoneInfo) -> tuple[tuple[int, int], ...]:
    # Depends on the days and hours only, not on the members: layers of many rosters built on the same
    # working calendar share it.
    first = datetime.fromtimestamp(a, tz).date() - timedelta(days=1)
    count = (datetime.fromtimestamp(b, tz).date() - first).days + 1
    midnights = _midnights(tz, first, count + 1)
    if window is None:
        w_start, w_len = 0, None
    else:
        w_start, w_end = _seconds(window[0]), _seconds(window[1])
        w_len = w_end - w_start if w_end > w_start else w_end + 86400 - w_start
    if days is None:
        indexes = range(count)
    else:
        origin = first.toordinal()
        indexes = sorted(n for n in (d.toordinal() - origin for d in days) if 0 <= n < count)
    spans: list[tuple[int, int]] = []
    for n in indexes:
        s_ts = midnights[n] + w_start
        e_ts = midnights[n + 1] if w_len is None else s_ts + w_len
        if e_ts <= a or s_ts >= b:
            continue
        if s_ts < a:
            s_ts = a
        if e_ts > b:
            e_ts = b
        if spans and spans[-1][1] >= s_ts:
            spans[-1] = (spans[-1][0], max(spans[-1][1], e_ts))
        else:
            spans.append((s_ts, e_ts))
    return tuple(spans)


def clear_caches() -> None:
    """Forget the memoised day spans (benchmarks measure a cold start)."""
    _spans.cache_clear()
    _midnights.cache_clear()


def layer_slots(layer: Layer, start: datetime, end: datetime, tz: ZoneInfo = SHANGHAI) -> list[Slot]:
    """The turns of one layer inside [start, end), cut to the days and hours it covers."""
    return [Slot(_dt(s), _dt(e), m, layer.name) for s, e, m in _layer_raw(layer, _ts(start), _ts(end), tz)]


def _layer_raw(layer: Layer, a: int, b: int, tz: ZoneInfo) -> list[tuple[int, int, Hashable]]:
    if not layer.members:
        raise RosterError(f"layer {layer.name!r} has no members")
    shift = int(layer.shift.total_seconds())
    if shift <= 0:
        raise RosterError(f"layer {layer.name!r}: a turn must last more than zero")
    origin = _ts(layer.start, "layer start")
    a = max(a, origin)  # nobody is on duty before the rotation begins
    if a >= b:
        return []
    n = len(layer.members)
    out: list[tuple[int, int, Hashable]] = []
    for s, e in _active_spans(layer, a, b, tz):
        k = (s - origin) // shift
        cursor = s
        while cursor < e:
            turn_end = origin + (k + 1) * shift
            stop = min(turn_end, e)
            member = layer.members[k % n]
            if out and out[-1][1] == cursor and out[-1][2] == member:
                out[-1] = (out[-1][0], stop, member)
            else:
                out.append((cursor, stop, member))
            cursor, k = stop, k + 1
    return out


def _final_raw(layers: Sequence[Layer], overrides: Iterable[Override], a: int, b: int,
               tz: ZoneInfo) -> list[tuple[int, int, Hashable, str]]:
    # Highest priority first: overrides, then layers from the top down.
    tiers: list[tuple[str, list[tuple[int, int, Hashable]]]] = []
    ov = sorted((max(_ts(o.start), a), min(_ts(o.end), b), o.member) for o in overrides)
    tiers.append(("override", [o for o in ov if o[0] < o[1]]))
    for layer in reversed(layers):
        tiers.append((layer.name, _layer_raw(layer, a, b, tz)))
    points = sorted({p for _, slots in tiers for s, e, _m in slots for p in (s, e)})
    pointers = [0] * len(tiers)
    out: list[tuple[int, int, Hashable, str]] = []
    for left, right in zip(points, points[1:], strict=False):
        chosen = None
        for index, (source, slots) in enumerate(tiers):
            i = pointers[index]
            while i < len(slots) and slots[i][1] <= left:
                i += 1
            pointers[index] = i
            if i < len(slots) and slots[i][0] <= left:
                chosen = (slots[i][2], source)
                break
        if chosen is None:
            continue
        if out and out[-1][1] == left and out[-1][2] == chosen[0] and out[-1][3] == chosen[1]:
            out[-1] = (out[-1][0], right, chosen[0], chosen[1])
        else:
            out.append((left, right, chosen[0], chosen[1]))
    return out


def final_schedule(layers: Sequence[Layer], overrides: Iterable[Override], start: datetime, end: datetime,
                   tz: ZoneInfo = SHANGHAI) -> list[Slot]:
    """Who is on duty from when to when inside [start, end): overrides over the top layer over lower ones."""
    return [Slot(_dt(s), _dt(e), m, src) for s, e, m, src in _final_raw(layers, overrides, _ts(start),
                                                                          _ts(end), tz)]


def _gaps_raw(covered: list[tuple], a: int, b: int) -> list[tuple[int, int]]:
    gaps: list[tuple[int, int]] = []
    cursor = a
    for s, e, *_rest in covered:
        if s > cursor:
            gaps.append((cursor, s))
        cursor = max(cursor, e)
    if cursor < b:
        gaps.append((cursor, b))
    return gaps


def gaps(layers: Sequence[Layer], overrides: Iterable[Override], start: datetime, end: datetime,
         tz: ZoneInfo = SHANGHAI) -> list[tuple[datetime, datetime]]:
    """The intervals of [start, end) nobody is on duty — the coverage check of a 7×24 duty."""
    a, b = _ts(start), _ts(end)
    # Who is on duty does not matter here, only whether anyone is: the union of every layer and override.
    covered = [(max(_ts(o.start), a), min(_ts(o.end), b)) for o in overrides]
    covered = [span for span in covered if span[0] < span[1]]
    for layer in layers:
        covered.extend(_layer_raw(layer, a, b, tz))
    covered.sort()
    return [(_dt(s), _dt(e)) for s, e in _gaps_raw(covered, a, b)]


def uncovered_hours(gap_list: Iterable[tuple[datetime, datetime]]) -> float:
    return sum((e - s).total_seconds() for s, e in gap_list) / 3600


def on_duty(layers: Sequence[Layer], overrides: Iterable[Override], at: datetime,
            tz: ZoneInfo = SHANGHAI) -> Slot | None:
    """The slot covering ``at`` (who is on duty now), or None."""
    a = _ts(at)
    raw = _final_raw(layers, list(overrides), a, a + 1, tz)
    if not raw:
        return None
    # extend to the whole turn for display: look a day around
    around = _final_raw(layers, list(overrides), a - 86400, a + 86400, tz)
    for s, e, m, src in around:
        if s <= a < e:
            return Slot(_dt(s), _dt(e), m, src)
    s, e, m, src = raw[0]
    return Slot(_dt(s), _dt(e), m, src)
