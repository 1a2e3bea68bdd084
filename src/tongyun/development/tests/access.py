"""开发工作 in the cross-unit access walk (core/tests/test_cross_unit_access.py)."""

from tongyun.development import services

DETAIL_PAGES = {
    "development:detail": lambda f: {"pk": f["change_request"].pk},
    "development:reply": lambda f: {"pk": f["change_request"].pk},
    "development:deliver": lambda f: {"pk": f["change_request"].pk},
    "development:accept": lambda f: {"pk": f["change_request"].pk},
}
LIST_PAGES = {"development:list", "development:caps"}
# the form's system picker is scoped; 403 for roles that may not ask (tested in test_development)
NOT_SCOPED_PAGES = {"development:create"}
API_PARAMS = {"request_id": lambda f: f["change_request"].pk}
POST_BODY = {"estimate_person_months": "0.1", "reply": "x"}


def foreign_objects(foreign, user_of):
    request = services.submit_request(user_of("unit_admin"), system_id=foreign["system"].pk, kind="new_function",
                                      title="FOREIGN-REQUEST")
    return {"change_request": request}
