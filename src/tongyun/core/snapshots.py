"""The district figures of the overview, computed by the worker and read by the pages, so that no request
computes the expensive ones cold (tongyun.core.tasks.refresh_overview, every
TONGYUN_OVERVIEW_REFRESH_SECONDS; `tongyun bootstrap` queues the first run).

Only the indicators and panels registered with `precomputed=True` are stored, and only as computed for
someone who sees the whole district (scoping.sees_everything: the bureau, the supervisor, the PM …). A
provider reads through scoped selectors, so its reading for one of them does not depend on which one
looks. Anyone else — a unit, field staff — gets readings computed for them on their request: their
figures never come from the district's.

A row per language: notes and series names are translated when computed. A page with no row yet (a new
install before the worker's first run) computes inline and stores what it computed.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from .indicators import Chart, Reading


def district_viewer():
    """Who the worker computes the district figures for: a bureau administrator that exists only in memory
    (scoped() lets an active user of a role that sees everything see every row)."""
    from tongyun.parties.choices import Role
    from tongyun.parties.models import User

    return User(username="district-overview", role=Role.BUREAU_ADMIN, is_active=True)


def encode_reading(reading: Reading) -> dict:
    value = reading.value
    return {"value": str(value) if isinstance(value, Decimal) else value, "decimal": isinstance(value, Decimal),
            "url": reading.url, "unit": str(reading.unit), "level": reading.level, "note": str(reading.note)}


def decode_reading(data: dict) -> Reading:
    value = Decimal(data["value"]) if data["decimal"] and data["value"] is not None else data["value"]
    return Reading(value, data["url"], unit=data["unit"], level=data["level"], note=data["note"])


def compute(indicators_, panels, user) -> tuple[dict, dict]:
    """(readings, charts) of these indicators and panels for `user`, JSON-ready; None: nothing to show."""
    readings = {}
    for indicator in indicators_:
        reading = indicator.provider(user)
        readings[indicator.key] = None if reading is None else encode_reading(reading)
    charts = {}
    for panel in panels:
        chart: Chart | None = panel.provider(user)
        charts[panel.key] = None if chart is None else chart.as_json()
    return readings, charts


def store(language: str, readings: dict, charts: dict, computed_at: dt.datetime):
    from .models import DistrictSnapshot

    try:
        with transaction.atomic():
            return DistrictSnapshot.objects.update_or_create(
                language=language, defaults={"readings": readings, "charts": charts, "computed_at": computed_at})[0]
    except IntegrityError:  # two first requests at once: the other one stored it
        return DistrictSnapshot.objects.get(language=language)


def refresh(languages=None):
    """Compute the precomputed district figures for every language and store them. → the stored rows."""
    from . import indicators

    user = district_viewer()
    rows = []
    for language in languages or [code for code, _name in settings.LANGUAGES]:
        started = timezone.now()
        with translation.override(language):
            readings, charts = compute(indicators.precomputed(), indicators.precomputed_panels(), user)
        rows.append(store(language, readings, charts, started))
    return rows


def current(language: str | None = None):
    """The stored figures of the request's language, or None when nothing was ever computed for it."""
    from .models import DistrictSnapshot

    return DistrictSnapshot.objects.filter(language=language or translation.get_language()).first()
