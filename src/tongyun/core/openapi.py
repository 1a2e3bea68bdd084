"""The OpenAPI document: unique schema names, and the bodies that endpoints parse themselves.

django-ninja files every schema under its class name and lets a second class of the same name overwrite
the first (two `EventOut` once did: the document described one endpoint with the other's fields).
`TongyunAPI` refuses that when the document is built — at start and in the tests — naming both.

Every operation documents the error answers it can give (400 bad filter, 401 no or bad token, 403 not
allowed, 404 not found or not visible, 413 body too large, 422 invalid input) with one `ApiErrorOut` shape:
`detail` is a message, or for 422 the list of field errors ({loc, msg, type}).

Endpoints that read a batch body themselves (to keep the good items of a batch: monitoring receivers)
document it with `openapi_extra` and a `$ref`; `document_schema(Model)` puts that model in the components.
"""

from ninja import NinjaAPI
from ninja.openapi.schema import REF_TEMPLATE, OpenAPISchema
from ninja.schema import NinjaGenerateJsonSchema

EXTRA_SCHEMAS: list = []


def document_schema(model):
    """Add `model` (a pydantic model) to the document's components; usable as a class decorator."""
    if model not in EXTRA_SCHEMAS:
        EXTRA_SCHEMAS.append(model)
    return model


class SchemaNameCollision(Exception):
    pass


class _UniqueNamesSchema(OpenAPISchema):
    def add_schema_definitions(self, definitions: dict) -> None:
        for name, definition in definitions.items():
            known = self.schemas.get(name)
            if known is not None and _comparable(known) != _comparable(definition):
                raise SchemaNameCollision(
                    f"two API schemas are named {name!r}: rename one (prefix it with its domain)\n"
                    f"{known}\n{definition}")
        super().add_schema_definitions(definitions)

    def get_components(self):
        for model in EXTRA_SCHEMAS:
            schema = model.model_json_schema(ref_template=REF_TEMPLATE, schema_generator=NinjaGenerateJsonSchema)
            self.add_schema_definitions({**schema.pop("$defs", {}), model.__name__: schema})
        return super().get_components()


def _comparable(definition: dict) -> dict:
    # the same class seen for reading and for writing differs only in what pydantic marks read-only
    return {k: v for k, v in definition.items() if k not in ("description", "readOnly", "writeOnly")} \
        | {"properties": sorted(definition.get("properties", {}))}


ERROR_ANSWERS = {
    "400": "请求参数有误（如筛选条件）",
    "401": "未认证：缺少令牌、令牌无效或已过期",
    "403": "没有权限执行此操作",
    "404": "对象不存在，或不在可查看的范围内",
    "413": "请求体超过上传上限",
    "422": "输入校验失败：detail 列出每个字段的错误（loc、msg、type）",
}
ERROR_SCHEMA = {
    "title": "ApiErrorOut",
    "type": "object",
    "properties": {
        "detail": {"description": "错误说明；422 时为字段错误列表",
                   "anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "object"}}]},
        "errors": {"description": "按字段列出的错误（业务校验）", "type": "object"},
        "problems": {"description": "Excel 文件的错误：sheet、row、column、reason", "type": "array",
                     "items": {"type": "object"}},
    },
    "required": ["detail"],
}


class _DocumentedSchema(_UniqueNamesSchema):
    def get_paths(self):
        paths = super().get_paths()
        for operations in paths.values():
            for operation in operations.values():
                responses = operation.setdefault("responses", {})
                for code, description in ERROR_ANSWERS.items():
                    if code == "401" and not operation.get("security"):
                        continue
                    responses.setdefault(int(code), {"description": description, "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/ApiErrorOut"}}}})
        return paths

    def get_components(self):
        components = super().get_components()
        components.setdefault("schemas", {})["ApiErrorOut"] = ERROR_SCHEMA
        return components


class TongyunAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        return _DocumentedSchema(api=self, path_prefix=path_prefix)
