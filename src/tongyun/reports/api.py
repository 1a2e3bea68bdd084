"""/api/v1/reports/… — the reports a user may see (core.scoping), their data (the same dict every document
shows), and the writes: create, narratives, refresh, submit, sign (the report's sign-off), correct."""

from ninja import Query, Router
from ninja.pagination import paginate

from tongyun.core.pagination import KeysetPagination
from tongyun.core.schemas import Id
from tongyun.signoffs import services as signoff_services

from . import selectors, services, types
from .schemas import (
    ReportsCorrectIn,
    ReportsCountOut,
    ReportsCreateIn,
    ReportsDecisionIn,
    ReportsDetailOut,
    ReportsFilters,
    ReportsNarrativesIn,
    ReportsOut,
    ReportsSubmitIn,
    ReportsTypeOut,
)

router = Router(tags=["报告"])
PAGE = {"ordering": ("id",), "page_size": 50, "max_page_size": 500}


def report_out(report) -> dict:
    return {"id": report.pk, "type_key": report.type_key, "title": report.title, "system_id": report.system_id,
            "unit_id": report.unit_id, "period_start": report.period_start, "period_end": report.period_end,
            "version": report.version, "state": report.state, "due_at": report.due_at, "late": report.is_late(),
            "first_submitted_at": report.first_submitted_at, "signed_at": report.signed_at}


def detail_out(report, user) -> dict:
    signoff = services.signoff_of(report)
    return {**report_out(report), "narratives": report.narratives, "data": report.data,
            "signoff_id": signoff.pk if signoff else None,
            "may_decide": bool(signoff and signoff_services.may_decide(user, signoff))}


@router.get("", response=list[ReportsOut])
@paginate(KeysetPagination, **PAGE)
def list_reports(request, filters: Query[ReportsFilters]):
    return selectors.report_list(request.user, filters.dict(exclude_none=True))


@router.get("/types", response=list[ReportsTypeOut])
def list_types(request):
    return [{"key": t.key, "title": str(t.title), "level": t.level, "cadence": t.cadence, "deadline": list(t.deadline),
             "source": str(t.source), "sections": t.section_keys(), "documents": [str(d.title) for d in t.documents],
             "narratives": [str(n) for n in t.narratives], "signers": list(t.signers), "rows": list(t.rows)}
            for t in types.registered()]


@router.get("/counts", response=list[ReportsCountOut])
def report_counts(request):
    """Due, late, awaiting signature and signed reports per user unit (unit_id null: the district's)."""
    return selectors.report_counts(request.user)


@router.get("/{report_id}", response=ReportsDetailOut)
def get_report(request, report_id: Id):
    return detail_out(selectors.report_get(request.user, report_id), request.user)


@router.post("", response={201: ReportsDetailOut})
def create_report(request, body: ReportsCreateIn):
    report = services.create(request.user, body.type, start=body.period_start, end=body.period_end,
                             system_id=body.system, unit_id=body.unit)
    return 201, detail_out(report, request.user)


@router.post("/{report_id}/narratives", response=ReportsDetailOut)
def write_narratives(request, report_id: Id, body: ReportsNarrativesIn):
    report = services.update(request.user, selectors.report_get(request.user, report_id), narratives=body.narratives)
    return detail_out(report, request.user)


@router.post("/{report_id}/refresh", response=ReportsDetailOut)
def refresh(request, report_id: Id):
    report = services.refresh(request.user, selectors.report_get(request.user, report_id))
    return detail_out(report, request.user)


@router.post("/{report_id}/submit", response=ReportsDetailOut)
def submit(request, report_id: Id, body: ReportsSubmitIn):
    report = services.submit(request.user, selectors.report_get(request.user, report_id), comment=body.comment)
    return detail_out(selectors.report_get(request.user, report.pk), request.user)


@router.post("/{report_id}/decision", response=ReportsDetailOut)
def decide(request, report_id: Id, body: ReportsDecisionIn):
    """Sign (approve) or return the report at the step that is the user's (the report's sign-off)."""
    report = selectors.report_get(request.user, report_id)
    services.decide(request.user, report, body.decision, comment=body.comment, to_position=body.to_position)
    return detail_out(selectors.report_get(request.user, report_id), request.user)


@router.post("/{report_id}/correct", response={201: ReportsDetailOut})
def correct(request, report_id: Id, body: ReportsCorrectIn):
    report = services.correct(request.user, selectors.report_get(request.user, report_id), reason=body.reason)
    return 201, detail_out(report, request.user)
