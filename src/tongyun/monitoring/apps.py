from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "tongyun.monitoring"
    verbose_name = _("监控接入")

    def ready(self):
        from auditlog.registry import auditlog

        from . import models

        # The mapping decides which system an alert lands on: keep who changed it and when.
        auditlog.register(models.AlertSource, exclude_fields=["token_hash"])
        auditlog.register(models.Check)
