"""The contract domain's district indicators: evaluations and deductions (tongyun.core.indicators)."""

from django.db.models import Count, Sum
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tongyun.core import indicators
from tongyun.core.indicators import Indicator, Reading
from tongyun.core.scoping import scoped

from .models import EvaluationItem


def _totals(user) -> dict:
    return scoped(EvaluationItem.objects.all(), user).aggregate(
        amount=Sum("amount"), points=Sum("points"), evaluations=Count("evaluation", distinct=True))


def deductions(user) -> Reading:
    totals = _totals(user)
    return Reading(totals["amount"] or 0, reverse("contracts:evaluation_list"), unit="元",
                   note=_("%(n)s 份考核记录，合计扣 %(points)s 分") % {"n": totals["evaluations"],
                                                                  "points": totals["points"] or 0})


def register() -> None:
    indicators.register(Indicator("contracts.deductions", _("考核扣款合计"), deductions, section=indicators.CONTRACT))
