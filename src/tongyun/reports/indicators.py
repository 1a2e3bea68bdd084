"""The reports domain's district indicators (tongyun.core.indicators): what is late, what awaits a signature."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tongyun.core import indicators
from tongyun.core.indicators import Indicator, Reading

from . import selectors


def _total(user, key: str) -> int:
    return sum(row[key] for row in selectors.report_counts(user))


def reports_late(user) -> Reading:
    late = _total(user, "late")
    return Reading(late, reverse("reports:overview"), unit="份", level="danger" if late else "info",
                   note=_("已过报送期限仍未签署完成"))


def reports_awaiting_signature(user) -> Reading:
    awaiting = _total(user, "awaiting")
    return Reading(awaiting, reverse("reports:overview"), unit="份", level="warning" if awaiting else "info",
                   note=_("已提交，待用户单位、监理或甲方签署"))


def register() -> None:
    indicators.register(Indicator("reports.late", _("逾期报告"), reports_late, section=indicators.REPORTS))
    indicators.register(Indicator("reports.awaiting_signature", _("待签署报告"), reports_awaiting_signature,
                                  section=indicators.REPORTS))
