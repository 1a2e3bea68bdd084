"""/api/v1/signoffs/… — the sign-offs a user may see, what awaits them, and their decisions."""

from ninja import Query, Router

from . import selectors, services
from .schemas import SignOffDecisionIn, SignOffFilters, SignOffOut

router = Router(tags=["签署流程"])


def signoff_out(signoff, user) -> dict:
    return {
        "id": signoff.pk, "flow": signoff.flow, "title": signoff.title,
        "subject_type": f"{signoff.subject_type.app_label}.{signoff.subject_type.model}",
        "subject_id": signoff.subject_id, "unit_id": signoff.unit_id, "system_id": signoff.system_id,
        "state": signoff.state, "version": signoff.version, "current_position": signoff.current_position,
        "current_party": signoff.current_party, "due_at": signoff.due_at, "late": signoff.is_late(),
        "started_at": signoff.started_at, "ended_at": signoff.ended_at,
        "may_decide": services.may_decide(user, signoff),
        "steps": [{"position": s.position, "party": s.party, "party_label": str(s.get_party_display()),
                   "label": s.label, "decision": s.decision, "decided_by": str(s.decided_by) if s.decided_by else None,
                   "decided_at": s.decided_at, "comment": s.comment} for s in signoff.steps.all()],
        "events": [{"position": e.position, "action": e.action, "actor": str(e.actor), "at": e.at,
                    "comment": e.comment, "to_position": e.to_position} for e in signoff.events.all()],
    }


@router.get("", response=list[SignOffOut])
def list_signoffs(request, filters: Query[SignOffFilters]):
    """Sign-offs the user may see (at most 500, newest first); `awaiting_me=true`: those awaiting their decision."""
    if filters.awaiting_me:
        rows = selectors.awaiting(request.user)
    else:
        rows = selectors.signoff_list(request.user, filters.dict(exclude_none=True))[:500]
    return [signoff_out(s, request.user) for s in rows]


@router.get("/{signoff_id}", response=SignOffOut)
def get_signoff(request, signoff_id: int):
    return signoff_out(selectors.signoff_get(request.user, signoff_id), request.user)


@router.post("/{signoff_id}/decision", response=SignOffOut)
def decide(request, signoff_id: int, body: SignOffDecisionIn):
    """Approve, return (to an earlier step, with a comment) or reject (where the flow allows, with a reason)."""
    signoff = selectors.signoff_get(request.user, signoff_id)
    services.decide(request.user, signoff, body.decision, comment=body.comment, to_position=body.to_position)
    return signoff_out(selectors.signoff_get(request.user, signoff_id), request.user)
