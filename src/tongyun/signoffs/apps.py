from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SignoffsConfig(AppConfig):
    name = "tongyun.signoffs"
    verbose_name = _("签署流程")

    def ready(self):
        from auditlog.registry import auditlog

        from tongyun.core import menu, worklist

        from . import models
        from .worklist import awaiting_items

        auditlog.register(models.SignOff)
        auditlog.register(models.SignOffStep)
        worklist.register("signoffs", awaiting_items)
        menu.register(menu.MenuItem(_("待我签署"), "signoffs:awaiting", group=menu.WORK,
                                    visible=lambda user: bool(user.role)))
