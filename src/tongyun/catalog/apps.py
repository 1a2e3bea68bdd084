from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "tongyun.catalog"

    def ready(self) -> None:
        from . import report_sections

        report_sections.register()  # sections of the report engine (tongyun.core.report_sections)
        from auditlog.registry import auditlog
        from django.utils.translation import gettext_lazy as _

        from tongyun.core.permissions import register_capabilities
        from tongyun.parties.choices import Role

        from . import models

        # Every change to catalog data is recorded: who, when, which fields, before and after.
        for model in (models.System, models.SlaTerm, models.InspectionCadence, models.Device, models.Assignment):
            auditlog.register(model)

        # The device inventory (设备台账) and its topology: the bureau, and the contractor's PM who
        # surveys the devices.
        register_capabilities({"catalog.import_devices": frozenset({Role.BUREAU_ADMIN, Role.PROJECT_MANAGER})})

        # Large device workbooks are imported by the worker (core/imports.py), small ones in the request.
        from tongyun.core import imports

        from .device_import import describe_summary, import_device_file

        imports.register(imports.Importer(
            key="catalog.devices", label=_("导入设备台账"), capability="catalog.import_devices",
            run=import_device_file, describe=describe_summary, back_url="catalog:device_import"))
