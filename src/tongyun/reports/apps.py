from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "tongyun.reports"
    verbose_name = _("报告")

    def ready(self):
        from auditlog.registry import auditlog

        from tongyun.core import hooks, menu, permissions, worklist
        from tongyun.parties.choices import Role

        from . import models, services, tender_types, types
        from .worklist import report_items

        for report_type in tender_types.TYPES:
            types.register(report_type)
        services.register_flows()
        permissions.register_capabilities({
            # Draft, refresh and submit reports; create the ones made by hand (end of term, events).
            "reports.draft": frozenset({Role.PROJECT_MANAGER}),
        })
        # bootstrap: make sure the daily run (drafts on their cadence, reminders) is queued
        hooks.on("tender_catalog_loaded", _schedule)
        auditlog.register(models.Report, exclude_fields=["data", "data_at"])
        worklist.register("reports", report_items)
        from tongyun.incidents import services as incident_services

        from . import reminders

        # the reminders are stored and delivered like every notification, and read in the same inbox
        incident_services.register_deliverable(models.ReportNotification, ("report", "recipient"), reminders.message)
        menu.register(menu.MenuItem(_("报告"), "reports:list", group=menu.CONTRACT,
                                    visible=lambda user: bool(user.role)))
        menu.register(menu.MenuItem(_("报告总览"), "reports:overview", group=menu.CONTRACT,
                                    visible=lambda user: bool(user.role)))

        from . import indicators

        indicators.register()  # district figures of the overview


def _schedule() -> str:
    from .tasks import schedule_daily_reports

    return f"reports: daily run {'queued' if schedule_daily_reports() else 'already queued'}"
