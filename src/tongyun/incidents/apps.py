from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncidentsConfig(AppConfig):
    name = "tongyun.incidents"
    verbose_name = _("故障工单")

    def ready(self):
        from . import facts

        facts.register()  # monthly facts for the contract evaluation (tongyun.core.facts)
        from auditlog.registry import auditlog

        from . import models

        # Calendar corrections and major-event periods change every deadline: keep who and when.
        for model in (models.CalendarDay, models.CalendarYear, models.MajorEventPeriod, models.BusinessHours):
            auditlog.register(model)
        auditlog.register(models.Incident, exclude_fields=["search_text"])
