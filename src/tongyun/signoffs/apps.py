from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SignoffsConfig(AppConfig):
    name = "tongyun.signoffs"
    verbose_name = _("签署流程")
