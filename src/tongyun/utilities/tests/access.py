"""供电与通信 in the cross-unit access walk (core/tests/test_cross_unit_access.py)."""

import datetime as dt
from decimal import Decimal

from tongyun.utilities import services

DETAIL_PAGES = {"utilities:bill_detail": lambda f: {"pk": f["bill"].pk}}
LIST_PAGES = {"utilities:bills", "utilities:supply_points", "utilities:links"}
EXCEL_PAGES = {"utilities:bills_export", "utilities:links_export"}
# the empty import template holds no data; the import answers 403 to those who may not import
NOT_SCOPED_PAGES = {"utilities:bills_template", "utilities:bills_import"}
API_PARAMS = {"bill_id": lambda f: f["bill"].pk}
POST_BODY = {"supply_point_id": lambda f: f["supply_point"].pk, "month": "2026-03-01", "kwh": "10", "amount": "5",
             "account_number": "FOREIGN-ACCOUNT-2", "name": "FOREIGN-POINT-2"}


def foreign_objects(foreign, user_of):
    pm = user_of("pm")
    point = services.create_supply_point(pm, system_id=foreign["system"].pk, name="FOREIGN-POINT",
                                         account_number="FOREIGN-ACCOUNT")
    bill = services.record_bill(pm, point, month=dt.date(2026, 2, 1), kwh=Decimal("100"), amount=Decimal("80"))
    return {"supply_point": point, "bill": bill}
