"""The OpenAPI document: unique schema names, and the bodies that endpoints parse themselves.

django-ninja files every schema under its class name and lets a second class of the same name overwrite
the first (two `EventOut` once did: the document described one endpoint with the other's fields).
`TongyunAPI` refuses that when the document is built — at start and in the tests — naming both.

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


class TongyunAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        return _UniqueNamesSchema(api=self, path_prefix=path_prefix)
