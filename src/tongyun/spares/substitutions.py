"""Equal-value substitution (SP-09) and the end-of-term stock list (SP-11).

Substitution: with the purchaser's consent (flow "spares.substitution"), unused capped quantity of one
item is exchanged for another item of the same system; the quantities are free but the two totals at
the unit prices must be equal to the fen. Once agreed, the caps move (the given item's cap shrinks, the
taken one's grows) — the settlement reads them from the agreed substitutions.
"""

from __future__ import annotations

import datetime as dt

from auditlog.context import set_actor
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from tongyun.core.permissions import require
from tongyun.core.scoping import scoped
from tongyun.domain import spares as rules
from tongyun.signoffs import services as signoffs

from . import selectors, services
from .choices import SubstitutionState
from .models import SpareItem, StockList, Substitution

SUBSTITUTION_FLOW = "spares.substitution"
STOCK_LIST_FLOW = "spares.stock_list"


@transaction.atomic
def propose_substitution(user, from_item: SpareItem, from_quantity: int, to_item: SpareItem, to_quantity: int, *,
                         reason: str = "", now: dt.datetime | None = None) -> Substitution:
    now = now or timezone.now()
    for item in (from_item, to_item):
        if not scoped(SpareItem.objects.filter(pk=item.pk), user).exists():
            raise Http404
    require(user, "spares.substitute")
    if from_item.system_id != to_item.system_id:
        raise ValidationError({"to_item_id": _("只能在同一系统的备件之间替换")})
    if from_item.pk == to_item.pk:
        raise ValidationError({"to_item_id": _("替换前后不能是同一备件")})
    if from_quantity < 1 or to_quantity < 1:
        raise ValidationError({"from_quantity": _("数量应大于 0")})
    for field, item in (("from_item_id", from_item), ("to_item_id", to_item)):
        if item.unit_price is None:
            raise ValidationError({field: _("%(item)s 尚未录入单价，无法核对总价") % {"item": item}})
    services.locked_item(from_item)
    position = selectors.cap_position(from_item)
    if position.available is not None and from_quantity > position.available:
        raise ValidationError({"from_quantity": _("%(item)s 未使用的数量只有 %(available)s，不能替换 %(quantity)s") % {
            "item": from_item, "available": max(position.available, 0), "quantity": from_quantity}})
    equal, given, taken = rules.equal_value(from_item.unit_price, from_quantity, to_item.unit_price, to_quantity)
    if not equal:
        raise ValidationError({"to_quantity": _(
            "总价不一致：被替换 %(given)s 元，替换为 %(taken)s 元，相差 %(difference)s 元；等价替换须总价相同") % {
            "given": given, "taken": taken, "difference": abs(given - taken)}})
    substitution = Substitution(system_id=from_item.system_id, from_item=from_item, from_quantity=from_quantity,
                                to_item=to_item, to_quantity=to_quantity, total=given, reason=reason.strip(),
                                requested_by=user, requested_at=now)
    with set_actor(user):
        substitution.save()
    signoffs.start(user, substitution, SUBSTITUTION_FLOW, system=from_item.system, now=now, comment=reason,
                   title=_("等价替换：%(what)s（%(total)s 元）") % {"what": substitution, "total": given})
    return substitution


def _substitution_decided(signoff, state: str) -> None:
    substitution = Substitution.objects.select_for_update().get(pk=signoff.subject_id)
    if substitution.state == SubstitutionState.PENDING:
        substitution.state = state
        substitution.save(update_fields=["state"])


def on_substitution_agreed(signoff) -> None:
    _substitution_decided(signoff, SubstitutionState.AGREED)


def on_substitution_refused(signoff) -> None:
    _substitution_decided(signoff, SubstitutionState.REFUSED)


def on_substitution_withdrawn(signoff) -> None:
    _substitution_decided(signoff, SubstitutionState.WITHDRAWN)


@transaction.atomic
def make_stock_list(user, system, year: int, now: dt.datetime | None = None) -> StockList:
    """Freeze the system's stock and settlement now and ask the supervisor to confirm it (SP-11)."""
    now = now or timezone.now()
    if not scoped(type(system).objects.filter(pk=system.pk), user).exists():
        raise Http404
    require(user, "spares.stock_list")
    rows = [{"item_id": r.item.pk, "name": r.name, "model": r.model, "stock": r.stock, "cap": r.effective_cap,
             "used": r.used, "remaining": r.remaining, "unit_price": str(r.unit_price) if r.unit_price is not None
             else None, "used_value": str(r.used_value) if r.used_value is not None else None}
            for r in selectors.settlement(selectors.item_list(user, {"system": system.pk}).filter(cap_year=year))]
    stock_list = StockList(system=system, year=year, rows=rows, created_by=user, created_at=now)
    with set_actor(user):
        stock_list.save()
    signoffs.start(user, stock_list, STOCK_LIST_FLOW, system=system, now=now,
                   title=_("备品备件库存清单：%(system)s %(year)s 年") % {"system": system, "year": year})
    return stock_list
