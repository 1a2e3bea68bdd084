"""The staffing domain's district indicators (tongyun.core.indicators)."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tongyun.core import indicators
from tongyun.core.indicators import Indicator, Reading

from . import selectors


def rules_unmet(user) -> Reading:
    short = [rule for rule in selectors.compliance(timezone.localdate()) if not rule.met]
    return Reading(len(short), reverse("staffing:staff_list"), unit="条", level="danger" if short else "info",
                   note="、".join(str(rule.label) for rule in short))


def certificates_expiring(user) -> Reading:
    count = selectors.expiring_certificates(timezone.localdate()).count()
    return Reading(count, reverse("staffing:staff_list"), unit="本", level="warning" if count else "info",
                   note=_("30 天内到期或已过期"))


def register() -> None:
    indicators.register(Indicator("staffing.rules_unmet", _("岗位配置不达标"), rules_unmet,
                                  section=indicators.RESOURCES))
    indicators.register(Indicator("staffing.certificates_expiring", _("证书到期预警"), certificates_expiring,
                                  section=indicators.RESOURCES))
