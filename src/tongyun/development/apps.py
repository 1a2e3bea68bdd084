from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DevelopmentConfig(AppConfig):
    name = "tongyun.development"
    verbose_name = _("开发工作")

    def ready(self):
        from auditlog.registry import auditlog

        from tongyun.core import hooks, menu, worklist
        from tongyun.core.permissions import can, register_capabilities
        from tongyun.signoffs import flows

        from . import models, selectors, services
        from .choices import CAPABILITIES

        register_capabilities(CAPABILITIES)
        auditlog.register(models.ChangeRequest)
        auditlog.register(models.EffortCap)
        for flow in services.APPROVAL_FLOWS:
            flows.register(flow)
        worklist.register("development", selectors.work_items)
        hooks.on("tender_catalog_loaded", lambda: f"development: {services.seed_tender_caps()} effort caps seeded")
        menu.register(menu.MenuItem(_("开发需求"), "development:list", group=menu.WORK,
                                    visible=lambda user: can(user, "development.view")))
