"""The home page shows what waits for the person, from every domain's work-list provider."""

import datetime as dt
from decimal import Decimal

from tongyun.catalog.models import System
from tongyun.utilities import services as utilities


def test_a_bill_awaiting_the_units_check_is_on_its_home_page(client_as, user_of):
    system = System.objects.get(row_no=1)  # 区经信局: unit_admin's unit
    point = utilities.create_supply_point(user_of("pm"), system_id=system.pk, name="HOME-POINT",
                                          account_number="HOME-0001")
    utilities.record_bill(user_of("pm"), point, month=dt.date(2026, 10, 1), kwh=Decimal("5"), amount=Decimal("4"))
    page = client_as("unit_admin").get("/").content.decode()
    assert 'data-testid="my-work"' in page and "HOME-POINT" in page
    # another unit's administrator is not asked
    assert "HOME-POINT" not in client_as("unit_admin_education").get("/").content.decode()
