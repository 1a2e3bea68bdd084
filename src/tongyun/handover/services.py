"""Writes of the hand-over: open the checklists from the tender's requirements, hand an item over (the
contractor), the confirmations (sign-off reactions), and the bureau's record of a refusal or obstruction,
which opens the 0.5 % penalty case through the contracts app's penalty service (EV-08)."""

from __future__ import annotations

import datetime as dt
import functools
import re
from pathlib import Path

import yaml
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tongyun.catalog.models import System
from tongyun.core.permissions import require
from tongyun.core.scoping import scoped
from tongyun.signoffs import flows
from tongyun.signoffs import services as signoffs
from tongyun.signoffs.choices import Party
from tongyun.signoffs.selectors import signoff_for

from .choices import KIND_ORDER, Channel, ItemKind, ItemState
from .models import Checklist, Item, Obstruction

REQUIREMENTS = Path(__file__).resolve().parent / "data" / "shunyi_2026_handover.yaml"
ITEM_FLOW, SPARES_FLOW = "handover.item", "handover.spares"
# Text that looks like a credential itself ("密码：…", "password=…"): refused — only the channel is recorded.
CREDENTIAL = re.compile(r"(密码|口令|password|passwd|pwd)\s*[:：=]", re.IGNORECASE)


@functools.cache
def requirements() -> dict:
    """{"common": [...], "rows": {row_no: [...]}} — derived from the tender by tools/extract_handover.py."""
    return yaml.safe_load(REQUIREMENTS.read_text(encoding="utf-8"))


def required_items(row_no: int | None) -> list[dict]:
    """What the system of this tender row hands over, in checklist order, each with its source lines."""
    data = requirements()
    wanted = list(data["common"]) + list(data["rows"].get(row_no, []))
    return sorted(wanted, key=lambda r: KIND_ORDER.index(r["kind"]))


def _lines(pair) -> str:
    start, end = pair
    return f"L{start}" if start == end else f"L{start}–L{end}"


def open_checklists(user, systems=None) -> int:
    """A checklist for every system (or those given) that has none yet. → checklists created."""
    require(user, "handover.manage")
    systems = scoped(System.objects.all(), user) if systems is None else systems
    with transaction.atomic():
        taken = set(Checklist.objects.values_list("system_id", flat=True))
        created = [Checklist(system=s, opened_by=user) for s in systems if s.pk not in taken]
        Checklist.objects.bulk_create(created)
        by_system = {c.system_id: c for c in Checklist.objects.filter(system_id__in=[c.system_id for c in created])}
        rows = {s.pk: s.row_no for s in systems}
        Item.objects.bulk_create([
            Item(checklist=checklist, kind=r["kind"], source_lines=_lines(r["lines"]),
                 source_quote=r["quote"][:300], judgement=r.get("flag") == "judgement")
            for system_id, checklist in by_system.items() for r in required_items(rows[system_id])])
    return len(created)


def hand_over(user, item: Item, *, handed_over_on: dt.date, detail: str = "", channel: str = "",
              account_count: int | None = None) -> Item:
    """The contractor hands an item over; the unit (after the supervisor, for the spare stock list) confirms.
    Accounts: the channel and the number of accounts — never the credentials themselves."""
    require(user, "handover.deliver")
    if item.state not in (ItemState.PENDING, ItemState.RETURNED):
        raise ValidationError({"state": _("该事项已移交，等待确认或已确认")})
    detail = detail.strip()
    if CREDENTIAL.search(detail):
        raise ValidationError({"detail": _("不得在平台录入口令；请只记录移交渠道，口令通过安全渠道交给用户单位")})
    if item.kind == ItemKind.ACCOUNTS:
        if channel not in Channel.values:
            raise ValidationError({"channel": _("请选择账号与口令的安全移交渠道")})
        if channel == Channel.OTHER and not detail:
            raise ValidationError({"detail": _("请说明所用的安全渠道")})
        if not account_count:
            raise ValidationError({"account_count": _("请填写移交的账号数量")})
    elif channel or account_count:
        raise ValidationError({"channel": _("只有账号与口令需要填写移交渠道和账号数量")})
    if handed_over_on is None:
        raise ValidationError({"handed_over_on": _("请填写移交日期")})
    flow = SPARES_FLOW if item.kind == ItemKind.SPARES else ITEM_FLOW
    system = item.checklist.system
    with transaction.atomic():
        previous = signoff_for(item, flow)
        item.handed_over_on, item.detail, item.channel = handed_over_on, detail, channel
        item.account_count, item.state = account_count, ItemState.AWAITING
        item.save()
        signoffs.start(user, item, flow, title=_("移交确认：%(item)s") % {"item": item}, system=system,
                       supersedes=previous if previous and not previous.is_open else None)
    return item


def item_confirmed(signoff) -> None:
    Item.objects.filter(pk=signoff.subject_id).update(state=ItemState.CONFIRMED)


def item_returned(signoff) -> None:
    """The supervisor or the unit refused it (with its reason in the sign-off): back to the contractor."""
    Item.objects.filter(pk=signoff.subject_id).update(state=ItemState.RETURNED)


FLOWS = [
    flows.FlowType(key=ITEM_FLOW, label=gettext_lazy("移交事项确认"),
                   steps=[flows.Step(Party.UNIT, label=gettext_lazy("用户单位确认"))],
                   allows_return=False, allows_reject=True, on_complete=item_confirmed, on_reject=item_returned),
    # RD-07: the spare stock list is confirmed by the supervisor (经监理确认), then accepted by the unit
    flows.FlowType(key=SPARES_FLOW, label=gettext_lazy("备品备件库存清单确认"),
                   steps=[flows.Step(Party.SUPERVISOR, label=gettext_lazy("监理确认")),
                          flows.Step(Party.UNIT, label=gettext_lazy("用户单位确认"))],
                   allows_return=False, allows_reject=True, on_complete=item_confirmed, on_reject=item_returned),
]


def record_obstruction(user, checklist: Checklist, *, occurred_on: dt.date, description: str,
                       item: Item | None = None) -> Obstruction:
    """The bureau records that the contractor refused or obstructed the hand-over; the contracts app opens
    the penalty case (拒绝或阻挠移交, 0.5 % of the contract price) for the bureau's decision."""
    from tongyun.contracts import selectors as contract_selectors
    from tongyun.contracts import services as contract_services

    require(user, "handover.manage")
    if not (description or "").strip():
        raise ValidationError({"description": _("请描述事实")})
    if occurred_on is None:
        raise ValidationError({"occurred_on": _("请填写发生日期")})
    if item is not None and item.checklist_id != checklist.pk:
        raise ValidationError({"item_id": _("该事项不属于此清单")})
    contract = contract_selectors.contract_current()
    if contract is None:
        raise ValidationError({"contract": _("尚未录入合同，无法计算违约金")})
    system = checklist.system
    with transaction.atomic():
        penalty = contract_services.record_penalty(
            user, contract, category="handover", unit=system.unit, system=system, occurred_on=occurred_on,
            description=_("移交：%(text)s") % {"text": description.strip()})
        return Obstruction.objects.create(checklist=checklist, item=item, occurred_on=occurred_on,
                                          description=description.strip(), penalty=penalty, recorded_by=user)
