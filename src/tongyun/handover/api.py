"""/api/v1/handover/… — checklists and their progress, handing an item over, the bureau's record of a
refusal or obstruction (→ the 0.5 % penalty case). Confirmations: POST /api/v1/signoffs/{id}/decision."""

from django.shortcuts import get_object_or_404
from ninja import Router

from tongyun.core.schemas import Id

from . import selectors, services
from .schemas import (
    HandoverChecklistOut,
    HandoverDeliverIn,
    HandoverItemOut,
    HandoverObstructionIn,
    HandoverObstructionOut,
    HandoverOpenOut,
    HandoverProgressOut,
)

router = Router(tags=["移交"])


def item_out(item, signoff=None) -> dict:
    return {"id": item.pk, "kind": item.kind, "label": str(item.get_kind_display()),
            "source_lines": item.source_lines, "source_quote": item.source_quote, "judgement": item.judgement,
            "state": item.state, "handed_over_on": item.handed_over_on, "detail": item.detail,
            "channel": item.channel, "account_count": item.account_count,
            "signoff_id": signoff.pk if signoff else None}


def checklist_out(checklist, detail=False) -> dict:
    out = {"id": checklist.pk, "system_id": checklist.system_id, "unit_id": checklist.system.unit_id,
           "system": checklist.system.name,
           "obstructions": checklist.obstruction_count,
           **{k: getattr(checklist, k) for k in ("total", "confirmed", "awaiting", "returned", "pending")}}
    if detail:
        items = list(checklist.items.all())
        signoffs = selectors.item_signoffs(items)
        out["items"] = [item_out(i, signoffs.get(i.pk)) for i in items]
        out["obstruction_records"] = [
            {"id": o.pk, "occurred_on": o.occurred_on, "description": o.description, "item_id": o.item_id,
             "penalty_id": o.penalty_id, "penalty_amount": o.penalty.amount, "penalty_state": o.penalty.state}
            for o in checklist.obstructions.all()]
    return out


@router.get("/progress", response=HandoverProgressOut)
def get_progress(request):
    """Systems and items by state, per unit (the bureau sees the district, a unit its own systems)."""
    return selectors.progress(request.user)


@router.get("/checklists", response=list[HandoverChecklistOut])
def list_checklists(request, unit: Id | None = None, state: str = ""):
    """state: "open" (not every item confirmed) or "done"."""
    return [checklist_out(c) for c in selectors.checklist_list(request.user, {"unit": unit or "", "state": state})]


@router.post("/checklists/open", response=HandoverOpenOut)
def open_checklists(request):
    """Open the checklist of every system that has none (bureau admin), from the tender's requirements."""
    return {"created": services.open_checklists(request.user)}


@router.get("/checklists/{checklist_id}", response=HandoverChecklistOut)
def get_checklist(request, checklist_id: Id):
    return checklist_out(selectors.checklist_get(request.user, checklist_id), detail=True)


@router.post("/items/{handover_item_id}/deliver", response=HandoverItemOut)
def deliver(request, handover_item_id: Id, body: HandoverDeliverIn):
    """The contractor hands the item over (accounts: channel and number of accounts — never a password)."""
    item = services.hand_over(request.user, selectors.item_get(request.user, handover_item_id),
                              **body.model_dump())
    return item_out(item, selectors.item_signoffs([item]).get(item.pk))


@router.post("/checklists/{checklist_id}/obstructions", response=HandoverObstructionOut)
def record_obstruction(request, checklist_id: Id, body: HandoverObstructionIn):
    """The bureau records a refusal or obstruction; the 0.5 % penalty case is opened for its decision."""
    checklist = selectors.checklist_get(request.user, checklist_id)
    item = get_object_or_404(checklist.items.all(), pk=body.item_id) if body.item_id else None
    record = services.record_obstruction(request.user, checklist, occurred_on=body.occurred_on,
                                         description=body.description, item=item)
    return {"id": record.pk, "occurred_on": record.occurred_on, "description": record.description,
            "item_id": record.item_id, "penalty_id": record.penalty_id, "penalty_amount": record.penalty.amount,
            "penalty_state": record.penalty.state}
