"""State of a built-in check from its probe results (pure, no Django).

A check is *down* after `threshold` consecutive failures (one lost packet does not page anyone) and
*up* again on the first success. Only these two crossings are transitions: they become a firing or a
resolved event. The very first success of a new check is no transition (there was nothing to resolve),
and a probe that could not run at all (ok is None: e.g. ICMP not permitted) changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

UP = "up"
DOWN = "down"
UNKNOWN = "unknown"


@dataclass(frozen=True)
class CheckState:
    last_ok: bool | None
    consecutive_failures: int


@dataclass(frozen=True)
class Step:
    state: CheckState
    transition: str | None  # "down", "up" or None
    status: str  # the check's confirmed status after the step: up / down / unknown


def status_of(state: CheckState, threshold: int) -> str:
    """Confirmed status: down from the threshold-th failure on; unknown before any result; otherwise up
    (a failure not yet confirmed does not count as down)."""
    if state.consecutive_failures >= max(1, threshold):
        return DOWN
    if state.last_ok is None:
        return UNKNOWN
    return UP


def step(state: CheckState, ok: bool | None, threshold: int = 2) -> Step:
    """The state after one probe result, and the transition it makes (if any)."""
    threshold = max(1, threshold)
    if ok is None:
        return Step(state, None, status_of(state, threshold))
    was_down = state.consecutive_failures >= threshold
    if ok:
        new = CheckState(True, 0)
        return Step(new, "up" if was_down else None, UP)
    failures = min(state.consecutive_failures + 1, 32767)
    new = CheckState(False, failures)
    if not was_down and failures >= threshold:
        return Step(new, "down", DOWN)
    return Step(new, None, status_of(new, threshold))


def down_since_offset(threshold: int, interval_seconds: float) -> float:
    """Seconds between the first failed probe and the one that confirmed the outage: the outage is
    dated from the first failure (rounds run every interval)."""
    return max(0, threshold - 1) * interval_seconds


def combine(statuses: list[str]) -> str:
    """A device's status from its checks' statuses: all up → up, all down → down, a mix → degraded;
    checks without any result yet do not count."""
    known = [s for s in statuses if s != UNKNOWN]
    if not known:
        return UNKNOWN
    if all(s == UP for s in known):
        return UP
    if all(s == DOWN for s in known):
        return DOWN
    return "degraded"
