"""Hand-over pages and endpoints in the cross-unit access walk (core/tests/test_cross_unit_access.py)."""

NOT_SCOPED_PAGES = {
    # the bureau opens every system's checklist (403 for others), tested in test_pages_and_api
    "handover:checklists_open",
}
DETAIL_PAGES = {
    "handover:checklist_detail": lambda f: {"pk": f["handover_checklist"].pk},
    "handover:obstruction_create": lambda f: {"pk": f["handover_checklist"].pk},
    "handover:item_deliver": lambda f: {"pk": f["handover_item"].pk},
}
LIST_PAGES = {"handover:checklist_list"}
NOT_SCOPED_API = {
    # bureau only (403 for others), tested in test_pages_and_api
    "/api/v1/handover/checklists/open",
}
API_PARAMS = {
    "checklist_id": lambda f: f["handover_checklist"].pk,
    "handover_item_id": lambda f: f["handover_item"].pk,
}
POST_BODY = {"handed_over_on": "2026-12-31", "occurred_on": "2026-12-31"}


def foreign_objects(foreign, user_of):
    from tongyun.handover import services
    from tongyun.handover.models import Checklist

    services.open_checklists(user_of("bureau_admin"), systems=[foreign["system"]])
    checklist = Checklist.objects.get(system=foreign["system"])
    return {"handover_checklist": checklist, "handover_item": checklist.items.get(kind="documents")}
