"""Writes of the sign-off flow: start, decide (approve, return, reject), withdraw, new version.

Every decision locks the sign-off row, checks that the user decides for the party whose turn it is (the
flow type says which roles; unit roles only for the sign-off's own unit), records the step and an event,
and calls the subject domain's reaction inside the same transaction — so a refused reaction undoes the
decision. Another unit's sign-off is a 404, never a 403.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from tongyun.core.scoping import scoped

from . import flows
from .choices import Decision, EventAction, SignOffState
from .models import SignOff, SignOffEvent, SignOffStep


def _now(now: dt.datetime | None) -> dt.datetime:
    return now or timezone.now()


def start(user, subject, flow_key: str, *, title: str, unit=None, system=None, due_at: dt.datetime | None = None,
          now: dt.datetime | None = None, comment: str = "", supersedes: SignOff | None = None) -> SignOff:
    """Open a sign-off of `subject` by the flow `flow_key`. One open sign-off per subject and flow."""
    flow = flows.get(flow_key)
    now = _now(now)
    if system is not None and unit is None:
        unit = system.unit
    subject_type = ContentType.objects.get_for_model(subject)
    with transaction.atomic():
        existing = SignOff.objects.select_for_update().filter(subject_type=subject_type, subject_id=subject.pk,
                                                              flow=flow_key)
        if existing.filter(state=SignOffState.PENDING).exists():
            raise ValidationError(_("该事项已有进行中的签署"))
        version = (existing.aggregate(v=Max("version"))["v"] or 0) + 1
        first = flow.steps[0]
        signoff = SignOff.objects.create(
            flow=flow_key, title=title[:300], subject_type=subject_type, subject_id=subject.pk, unit=unit,
            system=system, state=SignOffState.PENDING, current_position=0, current_party=first.party,
            due_at=due_at, version=version, supersedes=supersedes, started_by=user, started_at=now,
        )
        SignOffStep.objects.bulk_create([
            SignOffStep(signoff=signoff, position=index, party=step.party, label=str(step.label))
            for index, step in enumerate(flow.steps)
        ])
        SignOffEvent.objects.create(signoff=signoff, action=EventAction.START, actor=user, at=now, comment=comment)
    return signoff


def current_step(signoff: SignOff) -> flows.Step | None:
    if signoff.current_position is None:
        return None
    return flows.get(signoff.flow).steps[signoff.current_position]


def decides_for(user, signoff: SignOff, step: flows.Step) -> bool:
    """Does `user` decide for the party of `step` on this sign-off (role, and own unit for unit roles)?"""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.role not in step.deciding_roles:
        return False
    if user.role in flows.UNIT_BOUND_ROLES:
        return signoff.unit_id is not None and user.organisation_id == signoff.unit_id
    return True


def may_decide(user, signoff: SignOff, *, by_subject: bool = False) -> bool:
    """May `user` decide the current step — here (generic pages, API), or with `by_subject` through the
    subject domain's own action (a step with a `subject_action` is decided only that way)."""
    step = current_step(signoff)
    if step is None or not signoff.is_open or not decides_for(user, signoff, step):
        return False
    if step.subject_action and not by_subject:
        return False
    flow = flows.get(signoff.flow)
    if flow.distinct_deciders:
        # one person signs once: the unit admin who confirmed as purchaser does not also sign as bureau
        others = [s for s in signoff.steps.all() if s.position != signoff.current_position]
        if any(s.decided_by_id == user.pk and s.decision == Decision.APPROVE for s in others):
            return False
    return True


def _locked(user, signoff: SignOff) -> SignOff:
    if not scoped(SignOff.objects.filter(pk=signoff.pk), user).exists():
        raise Http404
    return SignOff.objects.select_for_update().get(pk=signoff.pk)


def subject_action_of(user, signoff: SignOff) -> str:
    """The subject's own action the user must take instead of a generic decision ("" when there is none)."""
    step = current_step(signoff)
    if step is None or not step.subject_action or not may_decide(user, signoff, by_subject=True):
        return ""
    return str(step.subject_action)


def decide(user, signoff: SignOff, decision: str, *, comment: str = "", to_position: int | None = None,
           now: dt.datetime | None = None, by_subject: bool = False) -> SignOff:
    """`by_subject`: called by the subject domain's own action (the only way to decide a step that has a
    `subject_action`)."""
    now = _now(now)
    flow = flows.get(signoff.flow)
    if decision not in Decision.values:
        raise ValidationError({"decision": _("未知的签署意见“%(value)s”") % {"value": decision}})
    with transaction.atomic():
        signoff = _locked(user, signoff)
        if not signoff.is_open:
            raise ValidationError({"decision": _("签署已结束（%(state)s），不能再修改") %
                                   {"state": signoff.get_state_display()}})
        if not may_decide(user, signoff, by_subject=True):
            raise PermissionDenied(_("当前环节不由您签署"))
        action = flows.get(signoff.flow).steps[signoff.current_position].subject_action
        if action and not by_subject:  # e.g. a returned report: resubmitted on its page (a fresh snapshot)
            raise ValidationError({"decision": _("此环节不能在签署页面办理，请%(action)s") % {"action": action}})
        position = signoff.current_position
        step = signoff.steps.get(position=position)
        if decision == Decision.APPROVE:
            step.decision, step.decided_by, step.decided_at, step.comment = decision, user, now, comment
            step.save(update_fields=["decision", "decided_by", "decided_at", "comment"])
            SignOffEvent.objects.create(signoff=signoff, position=position, action=EventAction.APPROVE, actor=user,
                                        at=now, comment=comment)
            if position + 1 < len(flow.steps):
                signoff.current_position = position + 1
                signoff.current_party = flow.steps[position + 1].party
                signoff.save(update_fields=["current_position", "current_party"])
            else:
                _end(signoff, SignOffState.COMPLETED, now)
                flow.on_complete(signoff)
        elif decision == Decision.RETURN:
            target = flow.return_to if to_position is None else to_position
            if not flow.allows_return or position == 0:
                raise ValidationError({"decision": _("此环节不能退回")})
            if not 0 <= target < position:
                raise ValidationError({"to_position": _("只能退回到之前的环节")})
            if not comment.strip():
                raise ValidationError({"comment": _("退回时请写明意见")})
            SignOffStep.objects.filter(signoff=signoff, position__gte=target).update(
                decision="", decided_by=None, decided_at=None, comment="")
            signoff.current_position, signoff.current_party = target, flow.steps[target].party
            signoff.save(update_fields=["current_position", "current_party"])
            SignOffEvent.objects.create(signoff=signoff, position=position, action=EventAction.RETURN, actor=user,
                                        at=now, comment=comment, to_position=target)
            flow.on_return(signoff, target)
        else:  # reject
            if not flow.allows_reject:
                raise ValidationError({"decision": _("此流程不能否决，只能同意或退回")})
            if not comment.strip():
                raise ValidationError({"comment": _("否决时请写明理由")})
            step.decision, step.decided_by, step.decided_at, step.comment = decision, user, now, comment
            step.save(update_fields=["decision", "decided_by", "decided_at", "comment"])
            SignOffEvent.objects.create(signoff=signoff, position=position, action=EventAction.REJECT, actor=user,
                                        at=now, comment=comment)
            _end(signoff, SignOffState.REJECTED, now)
            flow.on_reject(signoff)
    return signoff


def _end(signoff: SignOff, state: str, now: dt.datetime) -> None:
    signoff.state, signoff.ended_at = state, now
    signoff.current_position, signoff.current_party = None, ""
    signoff.save(update_fields=["state", "ended_at", "current_position", "current_party"])


def withdraw(user, signoff: SignOff, *, comment: str = "", now: dt.datetime | None = None) -> SignOff:
    """The one who started an open sign-off takes it back (nothing was decided for good)."""
    now = _now(now)
    with transaction.atomic():
        signoff = _locked(user, signoff)
        if not signoff.is_open:
            raise ValidationError({"state": _("签署已结束，不能撤回")})
        if signoff.started_by_id != user.pk:
            raise PermissionDenied(_("只有发起人可以撤回"))
        SignOffEvent.objects.create(signoff=signoff, action=EventAction.WITHDRAW, actor=user, at=now,
                                    comment=comment)
        _end(signoff, SignOffState.WITHDRAWN, now)
        flows.get(signoff.flow).on_withdraw(signoff)
    return signoff


def new_version(user, signoff: SignOff, *, comment: str, due_at: dt.datetime | None = None,
                now: dt.datetime | None = None) -> SignOff:
    """A correction of a completed sign-off: the old one is kept, marked superseded; the new one starts over."""
    now = _now(now)
    if not comment.strip():
        raise ValidationError({"comment": _("请说明更正原因")})
    with transaction.atomic():
        old = _locked(user, signoff)
        if old.state != SignOffState.COMPLETED:
            raise ValidationError({"state": _("只有已完成的签署才能出新版本")})
        old.state = SignOffState.SUPERSEDED
        old.save(update_fields=["state"])
        SignOffEvent.objects.create(signoff=old, action=EventAction.NEW_VERSION, actor=user, at=now, comment=comment)
        return start(user, old.subject, old.flow, title=old.title, unit=old.unit, system=old.system,
                     due_at=due_at or old.due_at, now=now, comment=comment, supersedes=old)
