"""What is waiting for a person: the work-list registry the home pages are made of.

A domain registers a provider in its AppConfig.ready(); the home page asks every provider for the
user's items and shows them grouped. A provider must be cheap (a count and a few rows) and must pass
its querysets through `tongyun.core.scoping.scoped()` like any other read.

    worklist.register("spares", pending_approvals)   # (user) -> list[WorkItem]
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class WorkItem:
    group: str  # heading on the home page, e.g. "待我审批"
    title: str
    url: str
    due: dt.datetime | None = None  # sorts the items; shown as a deadline
    level: str = "info"  # info | warning | danger
    count: int | None = None  # for a summary line ("3 张工单超时") rather than one object


Provider = Callable[[object], list[WorkItem]]
_providers: dict[str, Provider] = {}


def register(name: str, provider: Provider) -> None:
    _providers[name] = provider


def items_for(user) -> list[WorkItem]:
    items: list[WorkItem] = []
    for provider in _providers.values():
        items.extend(provider(user))
    far = dt.datetime.max.replace(tzinfo=dt.UTC)
    return sorted(items, key=lambda item: (item.due or far, item.title))
