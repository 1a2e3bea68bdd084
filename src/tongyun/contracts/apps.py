from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContractsConfig(AppConfig):
    name = "tongyun.contracts"
    verbose_name = _("合同考核")

    def ready(self):
        from . import report_sections

        report_sections.register()  # sections of the report engine (tongyun.core.report_sections)
        from auditlog.registry import auditlog

        from tongyun.core import hooks, menu, worklist
        from tongyun.core.permissions import can, register_capabilities
        from tongyun.parties.choices import Role
        from tongyun.signoffs import flows
        from tongyun.signoffs.choices import Party

        from . import evaluations, models, tasks
        from .worklist import work_items

        register_capabilities({
            # the contract, fees, adjustments, payments and the penalty decision belong to the bureau
            "contracts.manage": frozenset({Role.BUREAU_ADMIN}),
            # read the contract and the payments (contract-wide, not per unit)
            "contracts.view_contract": frozenset({Role.BUREAU_ADMIN, Role.BUREAU_STAFF, Role.SUPERVISOR,
                                                  Role.PROJECT_MANAGER}),
            # memoranda are proposed and edited by the unit (the bureau may help); signed by three parties
            "contracts.memorandum_edit": frozenset({Role.UNIT_ADMIN, Role.BUREAU_ADMIN}),
            # the unit evaluates (its own unit, checked in evaluations._own_unit)
            "contracts.evaluate": frozenset({Role.UNIT_ADMIN, Role.UNIT_STAFF}),
            # the contractor objects (申诉) and escalates
            "contracts.object": frozenset({Role.PROJECT_MANAGER}),
            # the bureau mediates disputes (EV-05)
            "contracts.mediate": frozenset({Role.BUREAU_ADMIN}),
            # a penalty case may be reported by the bureau, a unit or the supervisor; the bureau decides
            "contracts.penalty_record": frozenset({Role.BUREAU_ADMIN, Role.BUREAU_STAFF, Role.UNIT_ADMIN,
                                                   Role.SUPERVISOR}),
        })
        flows.register(flows.FlowType(
            key="contracts.memorandum", label=_("管理备忘录签署"),
            steps=[flows.Step(Party.UNIT, label=_("用户单位签署")), flows.Step(Party.CONTRACTOR, label=_("乙方签署")),
                   flows.Step(Party.BUREAU, label=_("甲方签署"))],
            allows_return=False, allows_reject=True,
            on_complete=evaluations.memorandum_signed, on_reject=evaluations.memorandum_rejected))
        flows.register(flows.FlowType(
            key="contracts.evaluation", label=_("考核记录三方签署"),
            steps=[flows.Step(Party.UNIT, label=_("用户单位签字")), flows.Step(Party.CONTRACTOR, label=_("乙方签字")),
                   flows.Step(Party.BUREAU, label=_("甲方签字"))],
            allows_return=False, allows_reject=True,
            on_complete=evaluations.evaluation_signed, on_reject=evaluations.evaluation_refused))
        flows.register(flows.FlowType(
            key="contracts.penalty", label=_("违约金决定"), steps=[flows.Step(Party.BUREAU, label=_("甲方决定"))],
            allows_return=False, allows_reject=True,
            on_complete=evaluations.penalty_imposed, on_reject=evaluations.penalty_dismissed))
        for model in (models.Contract, models.SystemFee, models.FeeAdjustment, models.Memorandum, models.Rule,
                      models.Evaluation, models.EvaluationItem, models.Objection, models.PenaltyCase,
                      models.Payment):
            auditlog.register(model)
        worklist.register("contracts", work_items)
        hooks.on("tender_catalog_loaded", tasks.after_catalog_loaded)
        for label, name, visible in (
                (_("考核记录"), "contracts:evaluation_list", lambda user: bool(user.role)),
                (_("管理备忘录"), "contracts:memorandum_list", lambda user: bool(user.role)),
                (_("结算"), "contracts:settlement", lambda user: bool(user.role)),
                (_("违约金"), "contracts:penalty_list", lambda user: bool(user.role)),
                (_("合同与支付"), "contracts:contract", lambda user: can(user, "contracts.view_contract"))):
            menu.register(menu.MenuItem(label, name, group=menu.CONTRACT, visible=visible))

        from . import indicators

        indicators.register()  # district figures of the overview
