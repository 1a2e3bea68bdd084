from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UtilitiesConfig(AppConfig):
    name = "tongyun.utilities"
    verbose_name = _("供电与通信")

    def ready(self):
        from auditlog.registry import auditlog

        from tongyun.core import facts, hooks, menu, worklist
        from tongyun.core.permissions import can, register_capabilities
        from tongyun.signoffs import flows

        from . import models, selectors, services
        from .choices import CAPABILITIES

        register_capabilities(CAPABILITIES)
        for model in (models.SupplyPoint, models.ElectricityBill, models.NetworkLink):
            auditlog.register(model)
        flows.register(services.BILL_CHECK_FLOW)
        facts.register(facts.Fact(key="electricity.amount", label=_("代缴电费"), unit="元",
                                  provider=selectors.electricity_amounts, higher_is_better=None,
                                  description=_("当月各供电点电费账单金额之和；没有账单的月份为“未计量”")))
        facts.register(facts.Fact(key="utilities.link_fees", label=_("代缴链路费用"), unit="元",
                                  provider=selectors.link_fees, higher_is_better=None,
                                  description=_("乙方代缴的链路月费之和；没有登记收费链路的系统为“未计量”")))
        worklist.register("utilities", selectors.work_items)
        hooks.on("tender_catalog_loaded", lambda: f"utilities: {services.seed_tender_links()} network links seeded")
        menu.register(menu.MenuItem(_("电费代缴"), "utilities:bills", group=menu.CONTRACT,
                                    visible=lambda user: can(user, "utilities.view")))
        menu.register(menu.MenuItem(_("网络链路"), "utilities:links", group=menu.CATALOG,
                                    visible=lambda user: can(user, "utilities.view")))
