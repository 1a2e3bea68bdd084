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
        from tongyun.signoffs import flows
        from tongyun.signoffs.choices import Party

        from . import services

        # A maintenance window: the system's unit administrator or the bureau decides; an accepted outage:
        # the bureau. One step each, approve or reject (a rejection gives its reason), no return.
        for key, label, step in (
                (services.WINDOW_FLOW, _("维护窗口审批"), flows.Step(Party.PURCHASER, label=_("用户单位或甲方审批"))),
                (services.ACCEPTANCE_FLOW, _("认可停机审批"), flows.Step(Party.BUREAU, label=_("甲方认可")))):
            flows.register(flows.FlowType(
                key=key, label=label, steps=[step], allows_return=False, allows_reject=True,
                on_complete=services.on_decision_complete, on_reject=services.on_decision_rejected,
                on_withdraw=services.on_withdrawn))
