import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from tongyun.catalog.models import Device
from tongyun.inspections.tests.test_reports import OCTOBER, october  # noqa: F401 - the month of row 1, reused
from tongyun.monitoring.models import Outage
from tongyun.reports import services, types

SH = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def month(october):  # noqa: F811
    """Row 1's October (inspections done and missed, two incidents) plus a 2.5-hour device outage and one
    incident acknowledged in time (a met response clock)."""
    system = october["system"]
    device = Device.objects.create(system=system, kind="服务器", name="GIS-01")
    Outage.objects.create(device=device, system=system, cause="monitoring",
                          start=dt.datetime(2026, 10, 12, 9, 0, tzinfo=SH),
                          end=dt.datetime(2026, 10, 12, 11, 30, tzinfo=SH))
    first = system.incidents.order_by("reported_at").first()
    system.incidents.filter(pk=first.pk).update(acknowledged_at=first.reported_at + dt.timedelta(minutes=5))
    return october


@pytest.fixture
def monthly(month):
    report, created = services.generate(types.get("om_monthly_system"), start=OCTOBER, end=dt.date(2026, 10, 31),
                                        system=month["system"])
    assert created
    return report
