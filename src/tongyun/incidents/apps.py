from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncidentsConfig(AppConfig):
    name = "tongyun.incidents"
    verbose_name = _("故障工单")

    def ready(self):
        from . import report_sections

        report_sections.register()  # sections of the report engine (tongyun.core.report_sections)
        from . import facts

        facts.register()  # monthly facts for the contract evaluation (tongyun.core.facts)
        from auditlog.registry import auditlog

        from tongyun.core import menu, permissions
        from tongyun.parties.choices import Role

        from . import models

        permissions.register_capabilities({
            # See the notifications whose delivery was given up (no address, channel not configured).
            "incidents.delivery_failures": frozenset({Role.BUREAU_ADMIN, Role.PROJECT_MANAGER}),
        })
        menu.register(menu.MenuItem(_("投递失败的通知"), "incidents:notification_failures", group=menu.ADMINISTRATION,
                                    visible=lambda user: permissions.can(user, "incidents.delivery_failures")))

        # Calendar corrections and major-event periods change every deadline: keep who and when.
        for model in (models.CalendarDay, models.CalendarYear, models.MajorEventPeriod, models.BusinessHours):
            auditlog.register(model)
        auditlog.register(models.Incident, exclude_fields=["search_text"])

        from tongyun.core import worklist as core_worklist

        from . import indicators
        from . import worklist as incident_worklist

        indicators.register()  # district figures of the overview (tongyun.core.indicators)
        core_worklist.register("incidents", incident_worklist.incident_items)
