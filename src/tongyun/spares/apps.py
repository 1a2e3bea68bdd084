from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SparesConfig(AppConfig):
    name = "tongyun.spares"
    verbose_name = _("备品备件")

    def ready(self):
        from . import report_sections

        report_sections.register()  # sections of the report engine (tongyun.core.report_sections)
        from auditlog.registry import auditlog

        from tongyun.core import facts, menu, panels, permissions, worklist
        from tongyun.parties.choices import Role
        from tongyun.signoffs import flows
        from tongyun.signoffs.choices import Party

        from . import links, models, replacements, selectors, substitutions
        from .worklist import spare_items

        field = {Role.ENGINEER, Role.ONSITE_STAFF, Role.ELECTRICIAN}
        keepers = {Role.PROJECT_MANAGER, Role.DISPATCHER}
        permissions.register_capabilities({
            "spares.view": frozenset(Role.values),
            "spares.edit_items": frozenset({Role.BUREAU_ADMIN, Role.PROJECT_MANAGER}),
            "spares.set_price": frozenset({Role.BUREAU_ADMIN}),  # the unit prices are the purchaser's
            "spares.stock": frozenset(keepers),
            "spares.request_replacement": frozenset(field | keepers),
            "spares.issue": frozenset(field | keepers),
            "spares.repair": frozenset(field | keepers),
            "spares.dispose": frozenset({Role.PROJECT_MANAGER}),
            "spares.substitute": frozenset({Role.PROJECT_MANAGER}),
            "spares.stock_list": frozenset({Role.PROJECT_MANAGER}),
        })
        flows.register(flows.FlowType(
            key=replacements.REPLACEMENT_FLOW, label=_("备件更换确认"),
            steps=[flows.Step(Party.PURCHASER, label=_("采购方确认")),
                   flows.Step(Party.SUPERVISOR, label=_("监理确认"))],
            allows_reject=True, on_complete=replacements.on_confirmed, on_reject=replacements.on_refused,
            on_withdraw=replacements.on_withdrawn))
        flows.register(flows.FlowType(
            key=replacements.OVER_CAP_FLOW, label=_("超量使用备件批准"),
            steps=[flows.Step(Party.BUREAU, label=_("区经信局批准"))], allows_return=False, allows_reject=True,
            on_complete=replacements.on_confirmed, on_reject=replacements.on_refused,
            on_withdraw=replacements.on_withdrawn))
        flows.register(flows.FlowType(
            key=replacements.DISPOSAL_FLOW, label=_("旧件处置同意"),
            steps=[flows.Step(Party.BUREAU, label=_("甲方同意处置"))], allows_return=False, allows_reject=True,
            on_complete=replacements.on_disposal_approved, on_reject=replacements.on_disposal_refused))
        flows.register(flows.FlowType(
            key=substitutions.SUBSTITUTION_FLOW, label=_("等价替换同意"),
            steps=[flows.Step(Party.PURCHASER, label=_("采购方同意"))], allows_return=False, allows_reject=True,
            on_complete=substitutions.on_substitution_agreed, on_reject=substitutions.on_substitution_refused,
            on_withdraw=substitutions.on_substitution_withdrawn))
        flows.register(flows.FlowType(
            key=substitutions.STOCK_LIST_FLOW, label=_("备品备件库存清单确认"),
            steps=[flows.Step(Party.SUPERVISOR, label=_("监理确认"))]))
        facts.register(facts.Fact(key="spares.used_value", label=_("备品备件使用金额"), unit="元",
                                  provider=selectors.used_value, higher_is_better=None,
                                  description=_("当月为更换领用的备件按单价计的金额（退回的扣除）")))
        facts.register(facts.Fact(key="spares.used_quantity", label=_("备品备件使用数量"), unit="件",
                                  provider=selectors.used_quantity))
        facts.register(facts.Fact(key="spares.replacements_requested", label=_("备件更换申请数"), unit="次",
                                  provider=selectors.replacements_requested))
        worklist.register("spares", spare_items)
        panels.register("incidents.detail", "spares", links.incident_links)
        menu.register(menu.MenuItem(_("备品备件"), "spares:item_list", group=menu.RESOURCES,
                                    visible=lambda user: permissions.can(user, "spares.view")))
        menu.register(menu.MenuItem(_("备件更换"), "spares:replacement_list", group=menu.RESOURCES,
                                    visible=lambda user: permissions.can(user, "spares.view")))
        menu.register(menu.MenuItem(_("拆除设备台账"), "spares:removed_list", group=menu.RESOURCES,
                                    visible=lambda user: permissions.can(user, "spares.view")))
        for model in (models.Warehouse, models.SpareItem, models.StockEntry, models.Replacement,
                      models.ReplacementPhoto, models.RemovedDevice, models.RepairRecord, models.Substitution,
                      models.StockList):
            auditlog.register(model)

        from . import indicators

        indicators.register()  # district figures of the overview
