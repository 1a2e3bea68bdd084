"""/api/v1/dataexchange/… — data resources handed over to the district data base, and daily push figures."""

from ninja import Query, Router, Status
from ninja.pagination import CursorPagination, paginate

from . import selectors, services
from .schemas import (
    DataResourceFilters,
    DataResourceIn,
    DataResourceOut,
    DataResourceStateIn,
    PushRecordIn,
    PushRecordOut,
)

router = Router(tags=["数据对接"])


@router.get("/resources", response=list[DataResourceOut])
@paginate(CursorPagination, ordering=("id",), page_size=50, max_page_size=500)
def list_resources(request, filters: Query[DataResourceFilters]):
    return selectors.resource_list(request.user, filters.dict(exclude_none=True))


@router.post("/resources", response={201: DataResourceOut})
def create_resource(request, body: DataResourceIn):
    return Status(201, services.create_resource(request.user, **body.dict()))


@router.get("/resources/{resource_id}", response=DataResourceOut)
def get_resource(request, resource_id: int):
    return selectors.resource_get(request.user, resource_id)


@router.post("/resources/{resource_id}/state", response=DataResourceOut)
def advance(request, resource_id: int, body: DataResourceStateIn):
    """One step forward: planned → connected → verified (verification: data-quality officer or bureau)."""
    return services.advance(request.user, selectors.resource_get(request.user, resource_id), body.state,
                            note=body.note)


@router.post("/resources/{resource_id}/pushes", response=PushRecordOut)
def record_pushes(request, resource_id: int, body: PushRecordIn):
    """A day's push figures (re-sending the same day replaces them)."""
    return services.record_pushes(request.user, selectors.resource_get(request.user, resource_id), **body.dict())
