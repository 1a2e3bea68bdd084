from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "tongyun.catalog"

    def ready(self) -> None:
        from . import report_sections

        report_sections.register()  # sections of the report engine (tongyun.core.report_sections)
        from auditlog.registry import auditlog

        from tongyun.core.permissions import register_capabilities
        from tongyun.parties.choices import Role

        from . import models

        # Every change to catalog data is recorded: who, when, which fields, before and after.
        for model in (models.System, models.SlaTerm, models.InspectionCadence, models.Device, models.Assignment):
            auditlog.register(model)

        # The device inventory (设备台账) and its topology: the bureau, and the contractor's PM who
        # surveys the devices.
        register_capabilities({"catalog.import_devices": frozenset({Role.BUREAU_ADMIN, Role.PROJECT_MANAGER})})
