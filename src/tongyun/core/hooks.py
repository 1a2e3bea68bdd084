"""Explicit cross-domain notifications, without Django signals.

A domain that must react to another's change registers a handler in its AppConfig.ready(); the domain
that makes the change calls fire() from its service, inside its transaction. Handlers run in order of
registration; an exception rolls the change back, so nothing is half done.

Events in use:
- "system_service_period_changed" (system): a system's service start or end moved (inspection tasks follow).
- "working_calendar_changed" (): the bureau declared a year or corrected a day (inspection dates follow).
- "tender_catalog_loaded" (): `tongyun bootstrap` loaded the catalog; each domain seeds its own tender data
  (idempotently) and returns one line for the bootstrap's output (collected with `collect()`).
"""

from collections import defaultdict
from collections.abc import Callable

_handlers: dict[str, list[Callable]] = defaultdict(list)


def on(event: str, handler: Callable) -> None:
    if handler not in _handlers[event]:
        _handlers[event].append(handler)


def fire(event: str, **details) -> None:
    for handler in _handlers[event]:
        handler(**details)


def collect(event: str, **details) -> list:
    """Like fire(), returning what each handler returned (None left out)."""
    return [result for handler in _handlers[event] if (result := handler(**details)) is not None]
