from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HandoverConfig(AppConfig):
    name = "tongyun.handover"
    verbose_name = _("项目移交")

    def ready(self):
        from auditlog.registry import auditlog

        from tongyun.core import menu
        from tongyun.core.permissions import register_capabilities
        from tongyun.signoffs import flows

        from . import models, services
        from .choices import CAPABILITIES

        register_capabilities(CAPABILITIES)
        for flow in services.FLOWS:
            flows.register(flow)
        for model in (models.Checklist, models.Item, models.Obstruction):
            auditlog.register(model)
        menu.register(menu.MenuItem(_("项目移交"), "handover:checklist_list", group=menu.CONTRACT,
                                    visible=lambda user: bool(user.role)))
