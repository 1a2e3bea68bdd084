"""The facts registry: named monthly figures per system, registered by the domain that measures them.

The contract evaluation, the settlement and the report sections read every other domain only through
this registry — never by importing another domain's models. A domain registers its facts in its
AppConfig.ready():

    facts.register(facts.Fact(
        key="incidents.repair_met_pct", label=_("修复及时率"), unit="%",
        provider=repair_met_pct,          # (system_ids, month) -> {system_id: value or None}
    ))

`month` is the first day of the month (datetime.date). A provider answers for every system id it was
asked about; a missing id or a None value means "not measured" (no data, or the source does not
exist yet) and is shown as such — never as zero. A key asked for that no domain registered reads as
"not measured" for every system too, so an evaluation rule may name a fact whose source lands later.
"""

import contextlib
import contextvars
import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

Value = int | float | Decimal | bool | None
Provider = Callable[[list[int], dt.date], dict[int, Value]]


@dataclass(frozen=True)
class Fact:
    key: str  # "<domain>.<name>", stable: evaluations store it with the value they used
    label: str  # Chinese label (lazy translation allowed)
    unit: str  # "%", "次", "元", "天", "" …
    provider: Provider
    description: str = ""
    # What the number means for the contractor: True when more is better (met %), False when less is.
    higher_is_better: bool | None = None


_facts: dict[str, Fact] = {}


def register(fact: Fact) -> None:
    existing = _facts.get(fact.key)
    if existing is not None and existing.provider is not fact.provider:
        raise ValueError(f"fact {fact.key!r} is already registered by another provider")
    _facts[fact.key] = fact


def unregister(key: str) -> None:
    """For tests that register a temporary fact."""
    _facts.pop(key, None)


def registered() -> list[Fact]:
    return sorted(_facts.values(), key=lambda f: f.key)


def get(key: str) -> Fact | None:
    return _facts.get(key)


def is_registered(key: str) -> bool:
    return key in _facts


def first_of_month(month: dt.date) -> dt.date:
    return month.replace(day=1)


def values(key: str, system_ids: Iterable[int], month: dt.date) -> dict[int, Value]:
    """{system_id: value or None} for every asked id; None = not measured (also for an unknown key)."""
    ids = list(dict.fromkeys(system_ids))
    fact = _facts.get(key)
    if fact is None or not ids:
        return dict.fromkeys(ids)
    answered = fact.provider(ids, first_of_month(month)) or {}
    return {system_id: answered.get(system_id) for system_id in ids}


def table(keys: Iterable[str], system_ids: Iterable[int], month: dt.date) -> dict[str, dict[int, Value]]:
    """Several facts at once: {key: {system_id: value or None}}. Providers that compute several facts in
    one query (see `shared`) compute them once for the whole table."""
    ids = list(dict.fromkeys(system_ids))
    with reading():
        return {key: values(key, ids, month) for key in keys}


# A domain whose facts come out of one grouped query registers one provider per key and lets them share
# the query: `shared(("incidents", tuple(ids), month), compute)` computes once inside `reading()` (as in
# `table`) and every time outside it — so a single read is never stale.
_memo: contextvars.ContextVar[dict | None] = contextvars.ContextVar("facts_memo", default=None)


@contextlib.contextmanager
def reading():
    """Facts read inside share the providers' grouped queries (the reader's own snapshot of a moment)."""
    token = _memo.set({}) if _memo.get() is None else None
    try:
        yield
    finally:
        if token is not None:
            _memo.reset(token)


def shared(key: tuple, compute: Callable[[], object]):
    memo = _memo.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]
