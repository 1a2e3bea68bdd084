"""数据对接 in the cross-unit access walk (core/tests/test_cross_unit_access.py)."""

from tongyun.dataexchange import services

DETAIL_PAGES = {
    "dataexchange:detail": lambda f: {"pk": f["data_resource"].pk},
    "dataexchange:advance": lambda f: {"pk": f["data_resource"].pk},
    "dataexchange:pushes": lambda f: {"pk": f["data_resource"].pk},
}
LIST_PAGES = {"dataexchange:list"}
EXCEL_PAGES = {"dataexchange:export"}
API_PARAMS = {"resource_id": lambda f: f["data_resource"].pk}
POST_BODY = {"state": "connected", "day": "2026-03-01", "expected": 1, "succeeded": 1, "on_time": 1}


def foreign_objects(foreign, user_of):
    resource = services.create_resource(user_of("pm"), system_id=foreign["system"].pk, name="FOREIGN-RESOURCE")
    return {"data_resource": resource}
