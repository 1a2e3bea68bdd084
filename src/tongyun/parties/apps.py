from django.apps import AppConfig


class PartiesConfig(AppConfig):
    name = "tongyun.parties"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from . import models

        auditlog.register(models.Organisation)
        auditlog.register(models.User, exclude_fields=["password", "last_login"])
