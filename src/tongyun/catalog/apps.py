from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "tongyun.catalog"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from . import models

        # Every change to catalog data is recorded: who, when, which fields, before and after.
        for model in (models.System, models.SlaTerm, models.InspectionCadence, models.Device, models.Assignment):
            auditlog.register(model)
