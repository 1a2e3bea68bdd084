"""Sign-off pages and endpoints in the cross-unit access walk (core/tests/test_cross_unit_access.py)."""

from tongyun.signoffs import flows, services
from tongyun.signoffs.choices import Party

WALK_FLOW = "tests.cross_unit_walk"
flows.register(flows.FlowType(key=WALK_FLOW, label="walk", steps=[flows.Step(Party.UNIT), flows.Step(Party.BUREAU)]))

DETAIL_PAGES = {
    "signoffs:detail": lambda f: {"pk": f["signoff"].pk},
    "signoffs:decide": lambda f: {"pk": f["signoff"].pk},
    "signoffs:withdraw": lambda f: {"pk": f["signoff"].pk},
}
LIST_PAGES = {"signoffs:awaiting", "signoffs:list"}
API_PARAMS = {"signoff_id": lambda f: f["signoff"].pk}
POST_BODY = {"decision": "approve", "comment": "x"}


def foreign_objects(foreign, user_of):
    signoff = services.start(user_of("pm"), foreign["system"], WALK_FLOW, title="FOREIGN-SIGNOFF",
                             system=foreign["system"])
    return {"signoff": signoff}
