from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DataexchangeConfig(AppConfig):
    name = "tongyun.dataexchange"
    verbose_name = _("数据对接")

    def ready(self):
        from auditlog.registry import auditlog

        from tongyun.core import facts, hooks, menu
        from tongyun.core.permissions import can, register_capabilities

        from . import models, selectors, services
        from .choices import CAPABILITIES

        register_capabilities(CAPABILITIES)
        auditlog.register(models.DataResource)
        facts.register(facts.Fact(key="dataexchange.push_success_pct", label=_("数据上报成功率"), unit="%",
                                  provider=selectors.push_success_pct, higher_is_better=True))
        facts.register(facts.Fact(key="dataexchange.push_on_time_pct", label=_("数据上报及时率"), unit="%",
                                  provider=selectors.push_on_time_pct, higher_is_better=True))
        hooks.on("tender_catalog_loaded",
                 lambda: f"dataexchange: {services.seed_tender_duties()} interface duties seeded")
        menu.register(menu.MenuItem(_("数据对接"), "dataexchange:list", group=menu.CATALOG,
                                    visible=lambda user: can(user, "dataexchange.view")))
