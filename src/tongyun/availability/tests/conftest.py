import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from tongyun.availability.services import seed_targets
from tongyun.catalog.models import Device, System
from tongyun.monitoring.models import DeviceState, Outage
from tongyun.parties.models import Organisation

SHANGHAI = ZoneInfo("Asia/Shanghai")
WATCHED_FROM = dt.datetime(2026, 1, 1, tzinfo=SHANGHAI)


def at(month: int, day: int, hour: int = 0, minute: int = 0, year: int = 2026) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


@pytest.fixture
def targets(db):
    seed_targets()


@pytest.fixture
def make_system(db):
    """A fresh system of a unit (no devices), so the figures depend on the test's devices only."""

    def make(name="TEST-AVAILABILITY", unit="区经信局", service_start=dt.date(2026, 1, 1), service_end=None):
        return System.objects.create(unit=Organisation.objects.get(name=unit), name=name, category="公共安全",
                                     service_start=service_start, service_end=service_end)

    return make


@pytest.fixture
def outage(db):
    def make(device, start, end, cause="monitoring", fault="offline"):
        return Outage.objects.create(device=device, system_id=device.system_id, start=start, end=end, cause=cause,
                                     fault=fault)

    return make


@pytest.fixture
def device(db):
    """A device; `watched_since` (default: the start of the year) is when monitoring began to observe it
    (its DeviceState) — None for a device nobody watches, whose figure is "no data"."""

    def make(system, quantity=1, kind="摄像机", name="", watched_since=WATCHED_FROM):
        created = Device.objects.create(system=system, kind=kind, quantity=quantity, name=name)
        if watched_since is not None:
            DeviceState.objects.create(device=created, status="up", since=watched_since, checked_at=watched_since)
        return created

    return make
