import datetime as dt

import pytest
from django.utils import timezone

from tongyun.catalog.models import Device, SlaTerm, System
from tongyun.incidents import services as incident_services
from tongyun.spares.models import SpareItem, Warehouse
from tongyun.spares.seed import DEFAULT_WAREHOUSE, load_tender_spares


@pytest.fixture
def seeded_spares(db):
    load_tender_spares()
    return Warehouse.objects.get(name=DEFAULT_WAREHOUSE)


@pytest.fixture
def row23(db):
    return System.objects.get(row_no=23)


@pytest.fixture
def camera(seeded_spares, row23):
    """Row 23's first capped item (智慧社区车辆卡口摄像机, cap 46), priced by the bureau."""
    item = SpareItem.objects.get(system=row23, name="智慧社区车辆卡口摄像机")
    item.unit_price = "3999.99"
    item.save()
    return item


@pytest.fixture
def working_incident(row23, user_of):
    """An incident of row 23 in progress, assigned to the engineer, on a device out of warranty."""

    def make(now=None, device=None):
        now = now or timezone.now()
        device = device or Device.objects.create(system=row23, kind="摄像机", name="卡口-01", model="OLD-CAM",
                                                 serial_number="OLD-1", location="石园街道卡口",
                                                 warranty_until=dt.date(2024, 12, 31))
        term = SlaTerm.objects.filter(system=row23, repair_unit="hour").first()
        incident = incident_services.report_incident(user_of("unit_admin_police"), system=row23, title="卡口不出图",
                                                     severity=term.severity, device=device, now=now)
        incident_services.take_action(user_of("dispatcher"), incident, "dispatch", assignee=user_of("engineer"),
                                      now=now)
        engineer = user_of("engineer")
        for action in ("acknowledge", "arrive"):
            incident = incident_services.take_action(engineer, incident, action, now=now)
        return incident

    return make
