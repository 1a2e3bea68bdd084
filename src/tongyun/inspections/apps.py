from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    name = "tongyun.inspections"
    verbose_name = _("巡检")

    def ready(self):
        from . import report_sections

        report_sections.register()  # sections of the report engine (tongyun.core.report_sections)
        from . import facts

        facts.register()  # monthly facts for the contract evaluation (tongyun.core.facts)
        from auditlog.registry import auditlog

        from tongyun.core import hooks

        from . import models, services

        # Tasks follow the system's service period and the working calendar.
        hooks.on("system_service_period_changed", services.regenerate_system)
        hooks.on("working_calendar_changed", services.regenerate_after_calendar_change)

        # Plans are edited by the PM and approved by the unit: keep who changed what.
        auditlog.register(models.InspectionPlan)
        auditlog.register(models.ChecklistItem)
        auditlog.register(models.FeedToken, exclude_fields=["token"])

        from tongyun.core import worklist as core_worklist

        from . import indicators
        from . import worklist as inspection_worklist

        indicators.register()  # district figures of the overview (tongyun.core.indicators)
        core_worklist.register("inspections", inspection_worklist.inspection_items)
