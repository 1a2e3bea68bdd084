from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    name = "tongyun.inspections"
    verbose_name = _("巡检")

    def ready(self):
        from auditlog.registry import auditlog

        from . import models

        # Plans are edited by the PM and approved by the unit: keep who changed what.
        auditlog.register(models.InspectionPlan)
        auditlog.register(models.ChecklistItem)
        auditlog.register(models.FeedToken, exclude_fields=["token"])
