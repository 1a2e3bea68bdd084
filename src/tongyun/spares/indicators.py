"""The spare-parts domain's district indicators (tongyun.core.indicators)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tongyun.core import indicators
from tongyun.core.indicators import Indicator, Reading

from . import selectors


def low_stock(user) -> Reading:
    count = len(selectors.low_stock(user))
    return Reading(count, reverse("spares:item_list") + "?low=1", unit="种", level="warning" if count else "info")


def register() -> None:
    indicators.register(Indicator("spares.low_stock", _("低于最低库存的备件"), low_stock,
                                  section=indicators.RESOURCES))
