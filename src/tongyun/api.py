"""The /api/v1/ root: one NinjaAPI assembling each domain app's router."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from tongyun.audit.api import router as audit_router
from tongyun.availability.api import router as availability_router
from tongyun.catalog.api import router as catalog_router
from tongyun.contracts.api import router as contracts_router
from tongyun.core.api_auth import API_AUTH
from tongyun.core.excel import WorkbookInvalid
from tongyun.core.openapi import TongyunAPI
from tongyun.core.renderers import ApiJSONRenderer
from tongyun.dataexchange.api import router as dataexchange_router
from tongyun.development.api import router as development_router
from tongyun.handover.api import router as handover_router
from tongyun.incidents.api import router as incidents_router
from tongyun.inspections.api import router as inspections_router
from tongyun.monitoring.api import router as monitoring_router
from tongyun.parties.api import accounts_router
from tongyun.parties.api import router as parties_router
from tongyun.reports.api import router as reports_router
from tongyun.security.api import router as security_router
from tongyun.signoffs.api import router as signoffs_router
from tongyun.spares.api import router as spares_router
from tongyun.staffing.api import router as staffing_router
from tongyun.utilities.api import router as utilities_router

api = TongyunAPI(
    title="tongyun 统运 API",
    version="1",
    description=(
        "统一运维管理平台接口。认证：POST /api/v1/auth/token 获取令牌，"
        "之后发送 Authorization: Bearer <token>。"
    ),
    auth=API_AUTH,
    urls_namespace="api",
    renderer=ApiJSONRenderer(),
)
api.add_router("/auth", parties_router)
api.add_router("/accounts", accounts_router)
api.add_router("/", catalog_router)
api.add_router("/audit", audit_router)
api.add_router("/", incidents_router)
api.add_router("/inspections", inspections_router)
api.add_router("/availability", availability_router)
api.add_router("/monitoring", monitoring_router)
api.add_router("/signoffs", signoffs_router)
api.add_router("/spares", spares_router)
api.add_router("/staffing", staffing_router)
api.add_router("/security", security_router)
api.add_router("/contracts", contracts_router)
api.add_router("/utilities", utilities_router)
api.add_router("/handover", handover_router)
api.add_router("/development", development_router)
api.add_router("/dataexchange", dataexchange_router)
api.add_router("/reports", reports_router)


@api.exception_handler(PermissionDenied)
def permission_denied(request, exc):
    return api.create_response(request, {"detail": _("没有权限执行此操作")}, status=403)


@api.exception_handler(ValidationError)
def validation_error(request, exc):
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return api.create_response(request, {"detail": _("数据校验失败"), "errors": errors}, status=422)


@api.exception_handler(WorkbookInvalid)
def invalid_file(request, exc):
    problems = [{"sheet": p.sheet, "row": p.row, "column": p.column, "reason": p.reason} for p in exc.problems]
    return api.create_response(request, {"detail": _("文件有误，未做任何改动"), "problems": problems}, status=422)


@api.exception_handler(ValueError)
def bad_filter(request, exc):
    return api.create_response(request, {"detail": str(exc)}, status=400)
