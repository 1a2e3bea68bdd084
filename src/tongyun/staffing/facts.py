"""Monthly facts of the staffing domain (tongyun.core.facts)."""

import datetime as dt

from . import selectors


def compliant_days(system_ids: list[int], month: dt.date) -> dict:
    """Contract-wide: the same number of days for every system."""
    days = selectors.compliant_days(month)
    return dict.fromkeys(system_ids, days)


def safety_education_held(system_ids: list[int], month: dt.date) -> dict:
    return dict.fromkeys(system_ids, selectors.safety_held(month))


def onsite_full_days(system_ids: list[int], month: dt.date) -> dict:
    return selectors.onsite_full_days(system_ids, month)
