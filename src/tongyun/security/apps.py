from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecurityConfig(AppConfig):
    name = "tongyun.security"
    verbose_name = _("安全合规")

    def ready(self):
        from . import report_sections

        report_sections.register()  # sections of the report engine (tongyun.core.report_sections)
        from auditlog.registry import auditlog

        from tongyun.core import facts as fact_registry
        from tongyun.core import hooks, menu, permissions, worklist
        from tongyun.parties.choices import Role
        from tongyun.signoffs import flows
        from tongyun.signoffs.choices import Party

        from . import duties, facts, models, obligations, services, tasks

        contractor_field = {Role.PROJECT_MANAGER, Role.DISPATCHER, Role.ENGINEER, Role.ONSITE_STAFF,
                            Role.ELECTRICIAN, Role.SECURITY_OFFICER}
        permissions.register_capabilities({
            # Everyone reads through scoping: a unit sees its own systems' records.
            "security.view": frozenset(Role.values),
            # The bureau chooses the 52 systems of the 2026 programme (MS-01: not inferred).
            "security.select_assessments": frozenset({Role.BUREAU_ADMIN}),
            # Stages, assessor, report and score: the contractor's security officer and PM, or the bureau.
            "security.manage_assessments": frozenset({Role.SECURITY_OFFICER, Role.PROJECT_MANAGER,
                                                      Role.BUREAU_ADMIN}),
            # Level and filing number of the register.
            "security.mlps_edit": frozenset({Role.SECURITY_OFFICER, Role.BUREAU_ADMIN}),
            # Findings come from the contractor's work, the bureau and the supervisor.
            "security.record_findings": frozenset(contractor_field | {Role.BUREAU_ADMIN, Role.SUPERVISOR}),
            # Remediation is the contractor's (besides the finding's owner, whoever they are).
            "security.fix_findings": frozenset(contractor_field),
            # Only the security officer verifies a fix.
            "security.verify_findings": frozenset({Role.SECURITY_OFFICER}),
            # Software inventory, vulnerabilities, patches (MS-06).
            "security.inventory": frozenset(contractor_field),
            # Expiring obligations and recurring duties (OT-06 … OT-08).
            "security.obligations": frozenset(contractor_field),
        })
        flows.register(flows.FlowType(
            key=services.FINDING_FLOW, label=_("安全问题整改验证"),
            steps=[flows.Step(Party.CONTRACTOR, roles=frozenset({Role.SECURITY_OFFICER}),
                              label=_("信息安全管理员验证")),
                   flows.Step(Party.UNIT, label=_("用户单位确认"))],
            allows_reject=True, on_complete=services.on_verification_complete,
            on_reject=services.on_verification_rejected, on_withdraw=services.on_verification_withdrawn))
        hooks.on("tls_certificate_observed", obligations.record_served_certificates)
        hooks.on("tender_catalog_loaded", tasks.after_catalog_loaded)
        hooks.on("system_service_period_changed", duties.regenerate_system)
        hooks.on("working_calendar_changed", duties.regenerate_after_calendar_change)
        for model in (models.MlpsRecord, models.Assessment, models.AssessmentStep, models.Finding,
                      models.SoftwareItem, models.Vulnerability, models.Patch, models.ExpiringItem,
                      models.RecurringDuty, models.DutyOccurrence):
            auditlog.register(model)
        for fact in facts.FACTS:
            fact_registry.register(fact)
        worklist.register("security", facts.work_items)
        visible = lambda user: permissions.can(user, "security.view")  # noqa: E731
        for label, url_name in ((_("安全概览"), "security:index"), (_("等保备案登记"), "security:mlps_list"),
                                (_("等保测评计划"), "security:programme"), (_("安全问题整改"), "security:finding_list"),
                                (_("软件与漏洞"), "security:software_list"),
                                (_("到期事项"), "security:item_list"), (_("周期事项"), "security:duty_list")):
            menu.register(menu.MenuItem(label, url_name, group=menu.SECURITY, visible=visible))
