"""Alert correlation — pure rules, no Django.

An alert (a firing event) joins a correlation group; each group becomes one incident. The rules:

- **Keys.** A group is known by a key inside one system: ``"<system>:dev:<device>"`` for a topology
  group anchored on a device, ``"<system>:lbl:<k=v,…>"`` for a group of equal group-label values, and
  ``"<system>:sys"`` for alerts that name neither a device nor any group label.
- **Joining.** An alert's *candidate keys* are the device keys of its device and of every device
  upstream of it (walking ``upstream`` to the top, nearest first), then its label key. It joins the
  first candidate that names a joinable group: one that is open, or that closed less than the window
  ago (a flapping alert re-joins it; the group reopens) — never a group whose incident was closed
  or cancelled.
- **New groups.** Otherwise it opens a group keyed on its device's direct upstream (cameras behind one
  switch share it), or on its label key when the device has no upstream, or on the device itself,
  or — without a device — on the label key or the system.
- **Likely cause.** The devices common to every affected device's chain (itself and its upstreams);
  of those, the top-most that is down. When none is down and several devices are affected, the
  nearest common upstream (an unmonitored switch behind which everything went dark). A single
  affected device is never its own likely cause.
- **Severity.** A group's severity is the highest of its alerts; the incident follows it upwards.

**Order does not matter.** Which alerts belong together is a relation between two alerts, not a
consequence of which came first: two firing alerts of one system are *related* when one's device is
upstream of (or the same as — unless it has no upstream and the group labels differ) the other's, when
their devices hang off the same upstream device, when
they carry the same group-label values and neither has topology to go by (no device, or a device
without upstream), or when neither names a device nor a group label. The groups are the
connected components of this relation (within the flapping window). Incrementally: an alert joins
every joinable group it is related to; when it relates to several, they are *merged* into one — the
switch that alerts after two of its cameras' groups opened makes them one group, exactly as if it had
alerted first. `tokens()` encodes an alert so that "related" is a set intersection, and
`partition()` is the batch definition the incremental rule is tested against (over shuffled orders).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

SEVERITY_RANK = {"other": 0, "minor": 1, "general": 2, "serious": 3, "urgent": 4}
DEFAULT_WINDOW = dt.timedelta(minutes=10)
MAX_LABEL_KEY = 150
MAX_DEPTH = 32  # a loop in the upstream data must not hang ingestion


def highest(severities: Iterable[str]) -> str | None:
    """The most severe of `severities` (unknown values rank lowest); None for none."""
    best = None
    for severity in severities:
        if severity and (best is None or SEVERITY_RANK.get(severity, 0) > SEVERITY_RANK.get(best, 0)):
            best = severity
    return best


def more_severe(candidate: str, current: str) -> bool:
    return SEVERITY_RANK.get(candidate, 0) > SEVERITY_RANK.get(current, 0)


def chain(device_id: int, upstream: Mapping[int, int | None]) -> list[int]:
    """The device and its upstream devices, nearest first; stops at a loop or after MAX_DEPTH."""
    seen = [device_id]
    current = upstream.get(device_id)
    while current is not None and current not in seen and len(seen) < MAX_DEPTH:
        seen.append(current)
        current = upstream.get(current)
    return seen


def label_key(labels: Mapping[str, str], group_labels: Iterable[str]) -> str:
    """``k=v,…`` of the group labels the alert carries (sorted); empty when it carries none."""
    parts = [f"{name}={labels[name]}" for name in sorted(set(group_labels)) if labels.get(name) not in (None, "")]
    key = ",".join(parts)
    if len(key) > MAX_LABEL_KEY:  # keys are stored (200 characters): long label values are hashed
        key = "sha1=" + hashlib.sha1(key.encode(), usedforsecurity=False).hexdigest()
    return key


def device_key(system_id: int, device_id: int) -> str:
    return f"{system_id}:dev:{device_id}"


def candidate_keys(system_id: int, device_id: int | None, upstream: Mapping[int, int | None],
                   labels_key: str) -> list[str]:
    """The keys of the groups this alert may join, most specific first."""
    keys = [device_key(system_id, d) for d in chain(device_id, upstream)] if device_id is not None else []
    if labels_key:
        keys.append(f"{system_id}:lbl:{labels_key}")
    if device_id is None and not labels_key:
        keys.append(f"{system_id}:sys")
    return keys


def new_group_key(system_id: int, device_id: int | None, upstream: Mapping[int, int | None],
                  labels_key: str) -> str:
    """The key of the group this alert opens when it joins none."""
    if device_id is not None:
        parent = upstream.get(device_id)
        if parent is not None and parent != device_id:
            return device_key(system_id, parent)
        if not labels_key:
            return device_key(system_id, device_id)
    if labels_key:
        return f"{system_id}:lbl:{labels_key}"
    return f"{system_id}:sys"


def anchor_of(key: str) -> int | None:
    """The device a topology key is anchored on."""
    parts = key.split(":")
    if len(parts) == 3 and parts[1] == "dev" and parts[2].isdigit():
        return int(parts[2])
    return None


@dataclass(frozen=True)
class GroupView:
    """What the rules need to know of an existing group."""

    id: int
    key: str
    closed_at: dt.datetime | None
    joinable: bool = True  # False when its incident was closed or cancelled


def pick_group(keys: list[str], groups: Iterable[GroupView], at: dt.datetime,
               window: dt.timedelta = DEFAULT_WINDOW) -> GroupView | None:
    """The group an alert firing at `at` joins: the first candidate key naming a joinable group that
    is open or closed less than `window` before `at` (flapping); open groups win over closed ones."""
    by_key: dict[str, list[GroupView]] = {}
    for group in groups:
        if group.joinable and (group.closed_at is None or group.closed_at >= at - window):
            by_key.setdefault(group.key, []).append(group)
    for key in keys:
        found = by_key.get(key)
        if found:
            # the open one, else the one closed most recently
            return min(found, key=lambda g: (g.closed_at is not None, -(g.closed_at or at).timestamp(), g.id))
    return None


def likely_cause(affected: Iterable[int], upstream: Mapping[int, int | None], down: Iterable[int]) -> int | None:
    """The device that most likely explains every affected device (see the module docstring)."""
    affected = list(dict.fromkeys(affected))
    if not affected:
        return None
    chains = [chain(d, upstream) for d in affected]
    common = [d for d in chains[0] if all(d in c for c in chains[1:])]  # nearest first
    if len(affected) == 1:
        common = common[1:]  # never the lone device itself
    if not common:
        return None
    down = set(down) | set(affected)
    down_common = [d for d in common if d in down]
    if down_common:
        return down_common[-1]  # the top-most one that is down
    return common[0] if len(affected) > 1 else None


# ---------------------------------------------------------------- order-independent grouping


@dataclass(frozen=True)
class Tokens:
    """What an alert (or a group: the union of its alerts') offers and looks for. Two are related when
    one offers what the other looks for."""

    provides: frozenset[str]
    needs: frozenset[str]

    def __or__(self, other: Tokens) -> Tokens:
        return Tokens(self.provides | other.provides, self.needs | other.needs)


EMPTY = Tokens(frozenset(), frozenset())


def tokens(system_id: int, device_id: int | None, upstream: Mapping[int, int | None], labels_key: str) -> Tokens:
    """The tokens of one firing alert (see the module docstring for the relation they encode)."""
    if device_id is None:
        token = f"{system_id}:lbl:{labels_key}" if labels_key else f"{system_id}:sys"
        return Tokens(frozenset({token}), frozenset({token}))
    parent = upstream.get(device_id)
    if parent == device_id:
        parent = None
    provides = {device_key(system_id, device_id)}
    needs = {device_key(system_id, d) for d in chain(device_id, upstream)}
    if parent is not None:
        provides.add(f"{system_id}:sib:{parent}")
        needs.add(f"{system_id}:sib:{parent}")
    if labels_key and parent is None:
        # no topology to go by: the labels group it (DiskFull and HighLoad of one server stay two groups)
        provides.add(f"{system_id}:lbl:{labels_key}")
        needs.add(f"{system_id}:lbl:{labels_key}")
        needs.discard(device_key(system_id, device_id))
    return Tokens(frozenset(provides), frozenset(needs))


def sibling_tokens(t: Tokens) -> frozenset[str]:
    """The sibling tokens ("<system>:sib:<upstream>") among those offered: what a group keeps of its
    alerts so that the next alert behind the same upstream device finds it without reading them."""
    return frozenset(token for token in t.provides if ":sib:" in token)


def related(a: Tokens, b: Tokens) -> bool:
    return bool(a.provides & b.needs or b.provides & a.needs)


def partition(alerts: Mapping[int, Tokens]) -> set[frozenset[int]]:
    """The groups of a set of alerts: connected components of `related` (the batch definition)."""
    parent = {a: a for a in alerts}

    def find(a):
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    by_token: dict[str, list[int]] = {}
    for alert, t in alerts.items():
        for token in t.provides:
            by_token.setdefault(token, []).append(alert)
    for alert, t in alerts.items():
        for token in t.needs:
            for other in by_token.get(token, ()):
                parent[find(other)] = find(alert)
    components: dict[int, set[int]] = {}
    for alert in alerts:
        components.setdefault(find(alert), set()).add(alert)
    return {frozenset(c) for c in components.values()}


def matching_groups(alert: Tokens, groups: Mapping[int, Tokens]) -> list[int]:
    """The groups (by id, ascending) an alert is related to: it joins them all, merging them."""
    return sorted(group for group, t in groups.items() if related(alert, t))


def assign(order: Iterable[int], alerts: Mapping[int, Tokens]) -> set[frozenset[int]]:
    """The incremental rule the platform applies, alert by alert in `order`: join every related group,
    merging them (the oldest survives). Equals `partition(alerts)` whatever the order."""
    groups: dict[int, Tokens] = {}
    members: dict[int, set[int]] = {}
    next_id = 0
    for alert in order:
        found = matching_groups(alerts[alert], groups)
        if not found:
            next_id += 1
            groups[next_id], members[next_id] = EMPTY, set()
            found = [next_id]
        survivor, *absorbed = found
        for other in absorbed:
            groups[survivor] |= groups.pop(other)
            members[survivor] |= members.pop(other)
        groups[survivor] |= alerts[alert]
        members[survivor].add(alert)
    return {frozenset(m) for m in members.values()}
