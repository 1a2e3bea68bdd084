from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SparesConfig(AppConfig):
    name = "tongyun.spares"
    verbose_name = _("备品备件")
