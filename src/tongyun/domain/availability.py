"""Device availability (设备在线率 / 正常运行时间比例): interval arithmetic and the figures.

Pure Python, no Django. Moments are plain numbers (the platform passes seconds since the epoch; the
tests use hours): an interval is a half-open pair ``(start, end)`` with ``start < end``.

The rules (docs/availability.md has the worked examples)
--------------------------------------------------------

The contract (第 12 条 考核指标): "系统主要设备考核指标，按照运行期间设备正常运行时间比例进行计算" —
the share of the time in service during which the device ran normally. For one device and a period
(a calendar month in Asia/Shanghai):

* **window** W = the period ∩ the system's service (from 00:00 of ``service_start`` to 24:00 of
  ``service_end``) ∩ up to now: a system starting 2026-07-25 is measured from then, and the current
  month up to the moment asked;
* **exclusions** E = the union of the approved maintenance windows (经采购人认可的系统检修停机) and the
  accepted outages (不可抗力、道路市政施工) that cover the device — "不视为故障";
* **service time** S = |W − E| and **down time** D = |∪ outages ∩ (W − E)|: exclusions leave **both**
  the numerator and the denominator — the excluded hours are neither up nor down time (see below);
* overlapping outages of one device count once (the union);
* **availability** A = 1 − D / S; no figure (``None``) when S = 0 (not in service, or excluded all
  period).

A device row with ``quantity`` N stands for N identical device units. Its service time is N × S
unit-seconds; an outage recorded on the row takes one unit down unless it states more (``units``, at
most N); where outages of the row overlap, the larger unit count holds (they count once). The row's
availability is 1 − (down unit-seconds) / (N × S).

A system's (or a unit's) availability is the **device-unit-weighted mean** of its rows' availabilities:
Σ Nᵢ·Aᵢ / Σ Nᵢ over the rows that have a figure. When every row shares the same service time (no
device-specific exclusion) this equals the time-average share of device units that were up.

Why exclusions leave both sides: counting excluded time as "up" (numerator only) would let a long
approved window dilute real faults (a 15-day window halves the weight of every other outage of the
month) and would report 100 % for a device that was excluded the whole month. Removing it from both
sides measures the contractor only over the time they answer for; the excluded time is neutral.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

Interval = tuple[float, float]


def merge(intervals: Iterable[Sequence[float]]) -> list[Interval]:
    """Sorted, disjoint intervals covering the same points; overlapping or touching ones joined,
    empty ones dropped."""
    ordered = sorted((float(s), float(e)) for s, e, *_rest in intervals if e > s)
    merged: list[Interval] = []
    for start, end in ordered:
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def clip(intervals: Iterable[Sequence[float]], start: float, end: float) -> list[Interval]:
    """The parts of `intervals` inside [start, end), merged."""
    return merge((max(s, start), min(e, end)) for s, e, *_rest in intervals if s < end and e > start)


def subtract(intervals: Iterable[Sequence[float]], removed: Iterable[Sequence[float]]) -> list[Interval]:
    """`intervals` minus every point of `removed` (both merged first)."""
    cuts = merge(removed)
    result: list[Interval] = []
    index = 0
    for start, end in merge(intervals):
        while index < len(cuts) and cuts[index][1] <= start:
            index += 1
        cursor, probe = start, index
        while probe < len(cuts) and cuts[probe][0] < end:
            cut_start, cut_end = cuts[probe]
            if cut_start > cursor:
                result.append((cursor, cut_start))
            cursor = max(cursor, cut_end)
            if cursor >= end:
                break
            probe += 1
        if cursor < end:
            result.append((cursor, end))
    return result


def intersect(intervals: Iterable[Sequence[float]], others: Iterable[Sequence[float]]) -> list[Interval]:
    """The points in both (both merged first)."""
    left, right = merge(intervals), merge(others)
    result: list[Interval] = []
    i = j = 0
    while i < len(left) and j < len(right):
        start, end = max(left[i][0], right[j][0]), min(left[i][1], right[j][1])
        if start < end:
            result.append((start, end))
        if left[i][1] < right[j][1]:
            i += 1
        else:
            j += 1
    return result


def length(intervals: Iterable[Sequence[float]]) -> float:
    """Total length of already disjoint intervals (merge first if they may overlap)."""
    return sum(e - s for s, e, *_rest in intervals)


def service_window(period_start: float, period_end: float, service_start: float | None = None,
                   service_end: float | None = None, now: float | None = None) -> Interval | None:
    """The period clipped to the service (None = open on that side) and to `now`; None when empty."""
    start = period_start if service_start is None else max(period_start, service_start)
    end = period_end if service_end is None else min(period_end, service_end)
    if now is not None:
        end = min(end, now)
    return (start, end) if start < end else None


@dataclass(frozen=True)
class Figure:
    """One device row (or a sum of rows) over one period. Times are per unit for `service`/`excluded`
    and in unit-seconds for `down`."""

    units: int
    service: float  # S: the window minus exclusions, per unit
    down: float  # down unit-time inside S (≤ units × service)
    excluded: float = 0.0  # |window ∩ exclusions|, per unit
    unobserved: float = 0.0  # time of the window (less exclusions) nobody observed the device, per unit

    @property
    def unit_service(self) -> float:
        return self.units * self.service

    @property
    def unit_observable(self) -> float:
        """Unit-time that could have been observed: the observed share is unit_service / this."""
        return self.units * (self.service + self.unobserved)

    @property
    def availability(self) -> float | None:
        if self.service <= 0 or self.units <= 0:
            return None
        return 1.0 - self.down / (self.units * self.service)


def down_unit_time(outages: Iterable[Sequence[float]], units: int = 1) -> float:
    """Down unit-time of a row from its outages ``(start, end)`` or ``(start, end, units_down)``:
    overlapping outages count once, the larger unit count holding (capped at `units`)."""
    by_level: dict[int, list[Interval]] = {}
    for outage in outages:
        start, end = outage[0], outage[1]
        level = max(1, min(int(outage[2]) if len(outage) > 2 and outage[2] else 1, units))
        by_level.setdefault(level, []).append((start, end))
    if not by_level:
        return 0.0
    if len(by_level) == 1 and 1 in by_level:
        return length(merge(by_level[1]))
    # At each moment the number of units down is the largest count of the outages then active:
    # Σ over the distinct counts c₁ < c₂ < … of (cₖ − cₖ₋₁) × |∪ outages with count ≥ cₖ|.
    total, previous = 0.0, 0
    levels = sorted(by_level)
    for index, level in enumerate(levels):
        covering = [interval for higher in levels[index:] for interval in by_level[higher]]
        total += (level - previous) * length(merge(covering))
        previous = level
    return total


def device_figure(window: Interval | None, outages: Iterable[Sequence[float]],
                  exclusions: Iterable[Sequence[float]] = (), units: int = 1,
                  observed: Iterable[Sequence[float]] | None = None) -> Figure:
    """The figure of one device row: `window` from :func:`service_window`, its outages (open ones
    already closed at the end of the window) and the exclusions that cover it.

    `observed`: the intervals in which something watched the device (monitoring, checks). Time nobody
    watched is neither up nor down — it leaves the figure, as exclusions do, and is reported as
    `unobserved`; a recorded outage is itself an observation (the device was seen down). A device
    never observed in the month has no figure ("no data"), not 100 %. None: everything is observed.
    """
    units = max(int(units), 0)
    if window is None:
        return Figure(units=units, service=0.0, down=0.0)
    start, end = window
    excluded = clip(exclusions, start, end)
    counted = subtract([window], excluded)
    outages = list(outages)
    unobserved = 0.0
    if observed is not None:
        seen = merge([*clip(observed, start, end), *clip([(o[0], o[1]) for o in outages], start, end)])
        watched = intersect(counted, seen)
        unobserved = length(counted) - length(watched)
        counted = watched
    service = length(counted)
    if all(len(outage) < 3 or (outage[2] or 1) == 1 for outage in outages):
        # one unit per outage (the usual case): the union of the outages inside the counted time
        down = length(intersect(outages, counted))
    else:
        pieces = []
        for outage in outages:
            extra = tuple(outage[2:3])
            for s, e in intersect([(outage[0], outage[1])], counted):
                pieces.append((s, e, *extra))
        down = down_unit_time(pieces, units)
    return Figure(units=units, service=service, down=down, excluded=length(excluded), unobserved=unobserved)


def observed_share(figures: Iterable[Figure]) -> float | None:
    """The share of the device-unit time that was observed (None when nothing could be)."""
    watched = possible = 0.0
    for figure in figures:
        watched += figure.unit_service
        possible += figure.unit_observable
    return None if possible <= 0 else watched / possible


def weighted_availability(figures: Iterable[Figure]) -> float | None:
    """Device-unit-weighted mean of the rows' availabilities, over the rows that have one."""
    weight = total = 0.0
    for figure in figures:
        value = figure.availability
        if value is None:
            continue
        weight += figure.units
        total += figure.units * value
    return total / weight if weight else None


def percent(availability: float | None, decimals: int = 2) -> float | None:
    """The figure as shown: a percentage rounded to `decimals` (97.8417 % → 97.84)."""
    return None if availability is None else round(availability * 100, decimals)


def falls_short(availability: float | None, target_percent: float | None, decimals: int = 2) -> bool:
    """True when there is a figure and a target and the figure, as shown (percent rounded to
    `decimals`), is below it: 97.995 % shows as 98.00 % and meets "≥ 98 %"; 97.99 % does not."""
    if availability is None or target_percent is None:
        return False
    return percent(availability, decimals) < float(target_percent)
