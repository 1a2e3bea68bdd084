from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContractsConfig(AppConfig):
    name = "tongyun.contracts"
    verbose_name = _("合同考核")
