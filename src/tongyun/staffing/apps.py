from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StaffingConfig(AppConfig):
    name = "tongyun.staffing"
    verbose_name = _("人员与值班")
