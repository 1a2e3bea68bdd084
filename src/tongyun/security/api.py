"""/api/v1/security/…: the MLPS register, the 2026 programme, findings, software, vulnerabilities,
patches, expiring items and recurring duties.

Bodies are read inside the view, *after* the scoped lookup: another unit's object (or a body naming
another unit's system) is a 404 whatever the body says, and only then is the body validated strictly
(InputSchema: unknown field or control character → 422 naming it). The OpenAPI document still shows
each body's schema."""

import json

import pydantic
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from ninja import Query, Router, Status
from ninja.errors import ValidationError as NinjaValidationError
from ninja.pagination import CursorPagination, paginate

from tongyun.catalog.models import Device
from tongyun.core.openapi import document_schema
from tongyun.core.schemas import Id, InputSchema, Year

from . import duties, inventory, obligations, selectors, services
from .models import SoftwareItem, Vulnerability
from .schemas import (
    AssessmentAdvanceIn,
    AssessmentOut,
    AssessmentSelectIn,
    DutyOut,
    ExpiringItemIn,
    ExpiringItemOut,
    ExpiringItemRenewIn,
    FindingIn,
    FindingOut,
    FindingVerifyIn,
    MlpsRecordIn,
    MlpsRecordOut,
    OccurrenceOut,
    PatchIn,
    PatchOut,
    ProgrammeOut,
    SecurityFilters,
    SoftwareIn,
    SoftwareOut,
    VulnerabilityIn,
    VulnerabilityOut,
)

router = Router(tags=["安全合规"])
PAGE = {"ordering": ("id",), "page_size": 100, "max_page_size": 500}


def _json_body(schema: type[InputSchema]) -> dict:
    # the body is documented by reference: the schema and the enums it names go into the components
    document_schema(schema)
    return {"openapi_extra": {"requestBody": {"required": True, "content": {
        "application/json": {"schema": {"$ref": f"#/components/schemas/{schema.__name__}"}}}}}}


def _multipart(*fields: str) -> dict:
    properties = {name: {"type": "string", "format": "binary"} if name in ("evidence", "report")
                  else {"type": "string"} for name in fields}
    return {"openapi_extra": {"requestBody": {"content": {"multipart/form-data": {
        "schema": {"type": "object", "properties": properties}}}}}}


def _raw(request) -> dict:
    try:
        data = json.loads(request.body or b"{}")
    except ValueError:
        raise NinjaValidationError([{"loc": ["body"], "msg": "不是有效的 JSON", "type": "json_invalid"}]) from None
    if not isinstance(data, dict):
        raise NinjaValidationError([{"loc": ["body"], "msg": "应为 JSON 对象", "type": "dict_type"}])
    return data


def _validate(schema: type[InputSchema], data: dict):
    try:
        return schema.model_validate(data)
    except pydantic.ValidationError as error:
        raise NinjaValidationError([{"loc": ["body", *e["loc"]], "msg": e["msg"], "type": e["type"]}
                                    for e in error.errors(include_url=False, include_context=False)]) from None


def _system_of(request, data: dict):
    """The system a body names, through scoping: another unit's → 404 before anything else."""
    system_id = data.get("system_id")
    if not isinstance(system_id, int) or isinstance(system_id, bool):
        raise NinjaValidationError([{"loc": ["body", "system_id"], "msg": "请填写系统 ID", "type": "int_type"}])
    return selectors.visible_system(request.user, system_id)


def _in_system(model, pk, system):
    if pk is None:
        return None
    found = model.objects.filter(pk=pk, system=system).first()
    if found is None:
        raise ValidationError({f"{model._meta.model_name}_id": "不属于该系统"})
    return found


# ---------------------------------------------------------------- MLPS register and programme


@router.get("/mlps", response=list[MlpsRecordOut])
@paginate(CursorPagination, **PAGE)
def list_mlps_records(request, filters: Query[SecurityFilters]):
    """The MLPS register (等保备案登记): level, filing number, last assessment, status, tender lines."""
    return selectors.mlps_records(request.user, filters.dict(exclude_none=True))


@router.post("/mlps/{system_id}", response=MlpsRecordOut, **_json_body(MlpsRecordIn))
def update_mlps_record(request, system_id: Id):
    system = selectors.visible_system(request.user, system_id)
    body = _validate(MlpsRecordIn, _raw(request))
    record = services.record_for(system)
    return services.update_mlps_record(request.user, record, **body.dict())


@router.get("/assessments", response=list[AssessmentOut])
@paginate(CursorPagination, **PAGE)
def list_assessments(request, filters: Query[SecurityFilters], year: Year = 2026):
    return selectors.assessments(request.user, filters.dict(exclude_none=True), year).prefetch_related("steps")


@router.get("/assessments/progress", response=ProgrammeOut)
def programme_progress(request, year: Year = 2026):
    """Quota, selected and done per level, per stage, and per unit and level."""
    return selectors.programme_progress(request.user, year)


@router.post("/assessments", response={201: AssessmentOut}, **_json_body(AssessmentSelectIn))
def select_for_assessment(request):
    """The bureau puts a system in the programme; beyond the quota of its level → 422."""
    data = _raw(request)
    system = _system_of(request, data)
    body = _validate(AssessmentSelectIn, data)
    return Status(201, services.select_for_assessment(request.user, system, body.year))


@router.get("/assessments/{assessment_id}", response=AssessmentOut)
def get_assessment(request, assessment_id: Id):
    return selectors.assessment(request.user, assessment_id)


@router.post("/assessments/{assessment_id}/advance", response=AssessmentOut, **_json_body(AssessmentAdvanceIn))
def advance_assessment(request, assessment_id: Id):
    """Complete the current stage (定级备案 → 差距测评 → 整改 → 正式测评 → 报告); the report stage needs the
    uploaded report, the score and the conclusion."""
    assessment = selectors.assessment(request.user, assessment_id)
    body = _validate(AssessmentAdvanceIn, _raw(request))
    return services.advance_assessment(request.user, assessment, completed_on=body.completed_on, note=body.note,
                                       assessor=body.assessor, score=body.score, conclusion=body.conclusion or "")


@router.post("/assessments/{assessment_id}/report", response=AssessmentOut, **_multipart("report"))
def upload_assessment_report(request, assessment_id: Id):
    """Upload the assessment report (multipart field `report`)."""
    assessment = selectors.assessment(request.user, assessment_id)
    report = request.FILES.get("report")
    if report is None:
        raise ValidationError({"report": "请上传测评报告"})
    from tongyun.core.permissions import require

    require(request.user, "security.manage_assessments")
    assessment.report = report
    assessment.save(update_fields=["report"])
    return assessment


# ---------------------------------------------------------------- findings


@router.get("/findings", response=list[FindingOut])
@paginate(CursorPagination, **PAGE)
def list_findings(request, filters: Query[SecurityFilters]):
    return selectors.findings(request.user, filters.dict(exclude_none=True))


@router.post("/findings", response={201: FindingOut}, **_json_body(FindingIn))
def record_finding(request):
    """A finding with its deadline (default "24 小时内完成整改": 24 calendar hours, holidays included)."""
    data = _raw(request)
    system = _system_of(request, data)
    body = _validate(FindingIn, data)
    owner = None
    if body.owner:
        owner = get_user_model().objects.filter(username=body.owner, is_active=True).first()
        if owner is None:
            raise ValidationError({"owner": "没有该用户"})
    device = _in_system(Device, body.device_id, system)
    assessment = None
    if body.assessment_id is not None:
        assessment = system.mlps_assessments.filter(pk=body.assessment_id).first()
        if assessment is None:
            raise ValidationError({"assessment_id": "不属于该系统"})
    finding = services.record_finding(
        request.user, system, title=body.title, severity=body.severity, source=body.source,
        description=body.description, device=device, assessment=assessment, owner=owner, found_at=body.found_at,
        limit_value=body.limit_value, limit_unit=body.limit_unit)
    return Status(201, finding)


@router.get("/findings/{finding_id}", response=FindingOut)
def get_finding(request, finding_id: Id):
    return selectors.finding(request.user, finding_id)


@router.post("/findings/{finding_id}/fix", response=FindingOut, **_multipart("description", "evidence"))
def fix_finding(request, finding_id: Id):
    """Record the fix: multipart fields `description` and `evidence` (file)."""
    finding = selectors.finding(request.user, finding_id)
    return services.fix_finding(request.user, finding, description=request.POST.get("description", ""),
                                evidence=request.FILES.get("evidence"))


@router.post("/findings/{finding_id}/verify", response=FindingOut, **_json_body(FindingVerifyIn))
def verify_finding(request, finding_id: Id):
    """The security officer accepts the fix (closed) or sends it back with a reason."""
    finding = selectors.finding(request.user, finding_id)
    body = _validate(FindingVerifyIn, _raw(request))
    return services.verify_finding(request.user, finding, accepted=body.accepted, note=body.note)


# ---------------------------------------------------------------- software, vulnerabilities, patches


@router.get("/software", response=list[SoftwareOut])
@paginate(CursorPagination, **PAGE)
def list_software(request, filters: Query[SecurityFilters]):
    return selectors.software(request.user, filters.dict(exclude_none=True))


@router.post("/software", response={201: SoftwareOut}, **_json_body(SoftwareIn))
def save_software(request):
    """Add a component of a system's software inventory, or update its version."""
    data = _raw(request)
    system = _system_of(request, data)
    body = _validate(SoftwareIn, data)
    item = inventory.save_software(request.user, system, kind=body.kind, name=body.name, version=body.version,
                                   device=_in_system(Device, body.device_id, system), note=body.note)
    return Status(201, item)


@router.get("/vulnerabilities", response=list[VulnerabilityOut])
@paginate(CursorPagination, **PAGE)
def list_vulnerabilities(request, filters: Query[SecurityFilters]):
    return selectors.vulnerabilities(request.user, filters.dict(exclude_none=True))


@router.post("/vulnerabilities", response={201: VulnerabilityOut}, **_json_body(VulnerabilityIn))
def record_vulnerability(request):
    data = _raw(request)
    system = _system_of(request, data)
    body = _validate(VulnerabilityIn, data)
    found = inventory.record_vulnerability(
        request.user, system, title=body.title, severity=body.severity, source=body.source, found_on=body.found_on,
        cve=body.cve, software=_in_system(SoftwareItem, body.software_id, system), fixed_on=body.fixed_on,
        note=body.note)
    return Status(201, found)


@router.get("/patches", response=list[PatchOut])
@paginate(CursorPagination, **PAGE)
def list_patches(request, filters: Query[SecurityFilters]):
    return selectors.patches(request.user, filters.dict(exclude_none=True))


@router.post("/patches", response={201: PatchOut}, **_json_body(PatchIn))
def record_patch(request):
    data = _raw(request)
    system = _system_of(request, data)
    body = _validate(PatchIn, data)
    patch = inventory.record_patch(
        request.user, system, name=body.name, applied_at=body.applied_at, restarted=body.restarted,
        reconfigured=body.reconfigured, software=_in_system(SoftwareItem, body.software_id, system),
        vulnerability=_in_system(Vulnerability, body.vulnerability_id, system), note=body.note)
    return Status(201, patch)


# ---------------------------------------------------------------- expiring items and duties


@router.get("/items", response=list[ExpiringItemOut])
@paginate(CursorPagination, **PAGE)
def list_expiring_items(request, filters: Query[SecurityFilters]):
    return selectors.expiring_items(request.user, filters.dict(exclude_none=True))


@router.post("/items", response={201: ExpiringItemOut}, **_json_body(ExpiringItemIn))
def create_expiring_item(request):
    data = _raw(request)
    system = _system_of(request, data)
    body = _validate(ExpiringItemIn, data).dict()
    body.pop("system_id")
    return Status(201, obligations.save_item(request.user, system, **body))


@router.post("/items/{item_id}/renew", response=ExpiringItemOut, **_json_body(ExpiringItemRenewIn))
def renew_expiring_item(request, item_id: Id):
    item = selectors.expiring_item(request.user, item_id)
    body = _validate(ExpiringItemRenewIn, _raw(request))
    return obligations.renew_item(request.user, item, expires_on=body.expires_on, replaced_on=body.replaced_on,
                                  note=body.note)


@router.get("/duties", response=list[DutyOut])
@paginate(CursorPagination, **PAGE)
def list_duties(request, filters: Query[SecurityFilters]):
    return selectors.duties(request.user, filters.dict(exclude_none=True))


@router.get("/occurrences", response=list[OccurrenceOut])
@paginate(CursorPagination, **PAGE)
def list_occurrences(request, filters: Query[SecurityFilters], duty: int | None = None):
    params = filters.dict(exclude_none=True)
    if duty is not None:
        params["duty"] = duty
    return selectors.occurrences(request.user, params)


@router.post("/occurrences/{occurrence_id}/complete", response=OccurrenceOut,
             **_multipart("done_on", "result", "evidence"))
def complete_occurrence(request, occurrence_id: Id):
    """Record a duty done: multipart fields `done_on` (YYYY-MM-DD), `result`, optional `evidence`."""
    import datetime as dt

    occurrence = selectors.occurrence(request.user, occurrence_id)
    try:
        done_on = dt.date.fromisoformat(request.POST.get("done_on", ""))
    except ValueError:
        raise ValidationError({"done_on": "日期格式应为 2026-01-31"}) from None
    return duties.complete_occurrence(request.user, occurrence, done_on=done_on,
                                      result=request.POST.get("result", ""), evidence=request.FILES.get("evidence"))



