"""/api/v1/development/… — change requests under capped effort (OT-05)."""

import datetime as dt

from ninja import Query, Router, Status
from ninja.pagination import CursorPagination, paginate

from . import selectors, services
from .schemas import (
    ChangeDeliveryIn,
    ChangeReplyIn,
    ChangeRequestFilters,
    ChangeRequestIn,
    ChangeRequestOut,
    EffortCapOut,
)

router = Router(tags=["开发工作"])


@router.get("/requests", response=list[ChangeRequestOut])
@paginate(CursorPagination, ordering=("id",), page_size=50, max_page_size=500)
def list_requests(request, filters: Query[ChangeRequestFilters]):
    return selectors.request_list(request.user, filters.dict(exclude_none=True))


@router.post("/requests", response={201: ChangeRequestOut})
def submit_request(request, body: ChangeRequestIn):
    return Status(201, services.submit_request(request.user, **body.dict()))


@router.get("/requests/{request_id}", response=ChangeRequestOut)
def get_request(request, request_id: int):
    return selectors.request_get(request.user, request_id)


@router.post("/requests/{request_id}/reply", response=ChangeRequestOut)
def reply(request, request_id: int, body: ChangeReplyIn):
    """The contractor's reply with its estimate; refused beyond the cap unless a separate agreement is given."""
    item = selectors.request_get(request.user, request_id)
    return services.reply(request.user, item, estimate=body.estimate_person_months, text=body.reply,
                          separate_agreement=body.separate_agreement)


@router.post("/requests/{request_id}/delivery", response=ChangeRequestOut)
def deliver(request, request_id: int, body: ChangeDeliveryIn):
    return services.deliver(request.user, selectors.request_get(request.user, request_id), note=body.note)


@router.post("/requests/{request_id}/acceptance", response=ChangeRequestOut)
def accept(request, request_id: int):
    return services.accept(request.user, selectors.request_get(request.user, request_id))


@router.get("/caps", response=list[EffortCapOut])
def caps(request, year: int | None = Query(None, ge=2020, le=2035)):
    rows = selectors.cap_usage(request.user, year or dt.date.today().year)
    return [{"system_id": r["cap"].system_id, "person_months": r["cap"].person_months, "used": r["used"],
             "remaining": r["remaining"], "scope": r["cap"].scope, "source_line": r["cap"].source_line}
            for r in rows]
