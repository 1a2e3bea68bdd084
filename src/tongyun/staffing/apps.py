from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StaffingConfig(AppConfig):
    name = "tongyun.staffing"
    verbose_name = _("人员与值班")

    def ready(self):
        from . import report_sections

        report_sections.register()  # sections of the report engine (tongyun.core.report_sections)
        from auditlog.registry import auditlog

        from tongyun.core import facts, hooks, menu, permissions, worklist
        from tongyun.incidents import services as incident_services
        from tongyun.parties.choices import Role
        from tongyun.signoffs import flows
        from tongyun.signoffs.choices import Party

        from . import models, notices, services
        from .facts import compliant_days, onsite_full_days, safety_education_held
        from .worklist import on_duty_items, staffing_items

        everyone_reading = frozenset({Role.BUREAU_ADMIN, Role.BUREAU_STAFF, Role.SUPERVISOR, Role.PROJECT_MANAGER,
                                      Role.DISPATCHER, Role.SECURITY_OFFICER, Role.DATA_QUALITY_OFFICER})
        permissions.register_capabilities({
            # Keep the staff register, posts, certificates and on-site assignments; request on-site changes.
            "staffing.manage": frozenset({Role.PROJECT_MANAGER}),
            # Build duty rosters (layers, overrides).
            "staffing.rosters": frozenset({Role.PROJECT_MANAGER, Role.DISPATCHER}),
            # Major-event readiness: groups, vehicle, pre-event tasks.
            "staffing.readiness": frozenset({Role.PROJECT_MANAGER}),
            # Record safety education and trainings.
            "staffing.safety": frozenset({Role.PROJECT_MANAGER}),
            # Read the staff register, the post rules, readiness and safety records (district-wide).
            "staffing.view": everyone_reading,
            # Personal data: ID numbers only to who keeps the register and the bureau admin; phones also to
            # those who call people out (dispatcher) and oversee (bureau, supervisor).
            "staffing.personal_data": frozenset({Role.PROJECT_MANAGER, Role.BUREAU_ADMIN}),
            "staffing.phones": frozenset({Role.PROJECT_MANAGER, Role.BUREAU_ADMIN, Role.BUREAU_STAFF,
                                          Role.DISPATCHER, Role.SUPERVISOR}),
        })
        flows.register(flows.FlowType(
            key=services.CHANGE_FLOW, label=_("驻场人员变更（用户单位同意）"),
            steps=[flows.Step(Party.UNIT, label=_("用户单位同意"))],
            allows_reject=True, on_complete=services.change_approved, on_reject=services.change_rejected,
            on_withdraw=services.change_withdrawn,
        ))
        facts.register(facts.Fact("staffing.compliant_days", _("人员配置达标天数"), "天", compliant_days,
                                  description=_("当月岗位人数与不得兼岗规则全部满足的天数（ST-02、ST-04）"),
                                  higher_is_better=True))
        facts.register(facts.Fact("staffing.safety_education_held", _("当月已开展安全教育"), "", safety_education_held,
                                  description=_("每月不少于 1 次安全教育（ST-09）"), higher_is_better=True))
        facts.register(facts.Fact("staffing.onsite_full_days", _("驻场满员天数"), "天", onsite_full_days,
                                  description=_("当月驻场岗位全部到岗的天数（ST-07）"), higher_is_better=True))
        worklist.register("staffing", staffing_items)
        incident_services.register_deliverable(models.CertificateNotification,
                                               ("certificate__person", "recipient"), notices.message)
        hooks.on("tender_catalog_loaded", _schedule_certificate_sweep)
        hooks.on("system_change_recorded", services.training_after_change)
        worklist.register("staffing.on_duty", on_duty_items)
        hooks.on("tender_catalog_loaded", lambda: f"staffing: {services.seed_onsite_posts()} on-site posts, "
                                                  f"{services.plan_trainings(2026)} trainings planned")
        menu.register(menu.MenuItem(_("驻场岗位"), "staffing:posts", group=menu.RESOURCES,
                                    visible=lambda user: bool(user.role)))
        menu.register(menu.MenuItem(_("值班表"), "staffing:rosters", group=menu.RESOURCES,
                                    visible=lambda user: bool(user.role)))
        menu.register(menu.MenuItem(_("服务商人员"), "staffing:staff_list", group=menu.RESOURCES,
                                    visible=lambda user: permissions.can(user, "staffing.view")))
        menu.register(menu.MenuItem(_("重保准备"), "staffing:events", group=menu.RESOURCES,
                                    visible=lambda user: permissions.can(user, "staffing.view")))
        menu.register(menu.MenuItem(_("安全教育与培训"), "staffing:safety", group=menu.RESOURCES,
                                    visible=lambda user: permissions.can(user, "staffing.view")))
        for model in (models.StaffMember, models.PostHolding, models.Certificate, models.OnsitePost,
                      models.OnsiteAssignment, models.OnsiteChange, models.DutyRoster, models.DutyLayer,
                      models.DutyOverride, models.EventReadiness, models.MaintenanceGroup, models.PreEventTask,
                      models.SafetySession, models.Training):
            auditlog.register(model)
        auditlog.register(models.RosterFeed, exclude_fields=["token_hash"])

        from . import indicators

        indicators.register()  # district figures of the overview


def _schedule_certificate_sweep() -> str:
    """Hook "tender_catalog_loaded" (tongyun bootstrap): keep one daily certificate sweep queued."""
    from .tasks import schedule_sweep

    schedule_sweep()
    return "staffing: certificate sweep scheduled"
