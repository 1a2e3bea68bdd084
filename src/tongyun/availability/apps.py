from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AvailabilityConfig(AppConfig):
    name = "tongyun.availability"
    verbose_name = _("设备可用率")

    def ready(self):
        from . import report_sections

        report_sections.register()  # sections of the report engine (tongyun.core.report_sections)
        from . import facts

        facts.register()  # monthly facts for the contract evaluation (tongyun.core.facts)
        from auditlog.registry import auditlog

        from . import models

        # Exclusions change what the contractor is paid: every change is kept.
        for model in (models.MaintenanceWindow, models.AcceptedOutage, models.AvailabilityTarget):
            auditlog.register(model)

        from . import indicators

        indicators.register()  # district figures of the overview
