"""Writes of memoranda and evaluations: propose a memorandum from the district template, edit its rules,
sign it; pre-fill a unit's evaluation from the facts, adjust items with a reason, publish to the
contractor, objections item by item (unit decides, bureau mediates), three-party signature, new versions.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from tongyun.catalog.models import System
from tongyun.core import facts
from tongyun.core.permissions import require
from tongyun.core.scoping import scoped
from tongyun.domain import evaluation as calc
from tongyun.domain import fees as fee_calc
from tongyun.signoffs import services as signoffs

from . import periods
from .choices import Cycle, EvaluationState, MemorandumState, ObjectionState
from .models import Evaluation, EvaluationItem, Memorandum, Objection, Rule, SystemFee
from .templates import DISTRICT_TEMPLATE, MANUAL

OBJECTION_WORKING_DAYS = 5
SIGNING_WORKING_DAYS = 10


def working_days_after(moment: dt.datetime, days: int) -> dt.datetime:
    from tongyun.incidents.clocks import working_calendar

    return working_calendar().add_working_days(moment, days)


def _own_unit(user, unit_id: int) -> None:
    """Unit roles write only for their own unit (reads are scoped already; this guards writes)."""
    if user.organisation_id != unit_id and user.role in ("unit_admin", "unit_staff"):
        raise PermissionDenied(_("只能处理本单位的考核"))


# ---------------------------------------------------------------- memoranda

def propose_memorandum(user, system: System, *, effective_month: dt.date, template=None) -> Memorandum:
    """A new version of the system's memorandum, with the rules of the previous version or the template."""
    require(user, "contracts.memorandum_edit")
    _own_unit(user, system.unit_id)
    effective_month = effective_month.replace(day=1)
    with transaction.atomic():
        previous = Memorandum.objects.select_for_update().filter(system=system).order_by("-version").first()
        if previous and previous.state != MemorandumState.IN_FORCE:
            raise ValidationError({"effective_month": _("上一版本尚未生效，请先完成签署或编辑它")})
        if previous and effective_month <= previous.effective_month:
            raise ValidationError({"effective_month": _("新版本须晚于上一版本的生效月份（规则不溯及既往）")})
        evaluated = EvaluationItem.objects.filter(system=system, evaluation__month__gte=effective_month).exclude(
            evaluation__state=EvaluationState.SUPERSEDED)
        if previous and evaluated.exists():
            raise ValidationError({"effective_month": _("该月份已有考核记录，新规则只能从以后的月份生效")})
        memo = Memorandum.objects.create(
            system=system, version=(previous.version + 1) if previous else 1, effective_month=effective_month,
            cycle=previous.cycle if previous else "monthly", standard=previous.standard if previous else "",
            cap_fee_percent=previous.cap_fee_percent if previous else Decimal(20), created_by=user)
        if previous:
            rules = [{f: getattr(r, f) for f in ("indicator", "label", "comparison", "threshold", "mode",
                                                 "consequence", "value", "cap_amount", "cap_points", "custom")}
                     for r in previous.rules.all()]
        else:
            rules = [dict(r) for r in (template or DISTRICT_TEMPLATE)]
        Rule.objects.bulk_create([Rule(memorandum=memo, position=i, **{**r, "label": str(r["label"])})
                                  for i, r in enumerate(rules)])
    return memo


def _editable(memo: Memorandum) -> None:
    if memo.state != MemorandumState.DRAFT:
        raise ValidationError({"state": _("备忘录已提交签署或已生效，修改请出新版本")})


def save_rule(user, memo: Memorandum, rule: Rule | None = None, **fields) -> Rule:
    """Add or edit a rule of a draft memorandum; a rule the district template lacks is the unit's own (EV-03)."""
    require(user, "contracts.memorandum_edit")
    _own_unit(user, memo.system.unit_id)
    _editable(memo)
    indicator = fields.get("indicator", rule.indicator if rule else "")
    if indicator != MANUAL and not facts.is_registered(indicator) and not indicator.count("."):
        raise ValidationError({"indicator": _("指标应为事实键（如 incidents.repair_met_pct）或 manual")})
    rule = rule or Rule(memorandum=memo, position=(memo.rules.aggregate(p=Max("position"))["p"] or 0) + 1,
                        custom=True)
    for name, value in fields.items():
        setattr(rule, name, value)
    try:
        calc.Rule(rule.indicator, rule.comparison, Decimal(rule.threshold), rule.consequence, Decimal(rule.value),
                  rule.mode)
    except ValueError as error:
        raise ValidationError({"comparison": str(error)}) from None
    rule.full_clean(exclude=["memorandum"])
    rule.save()
    return rule


def update_memorandum(user, memo: Memorandum, *, cycle: str | None = None, standard: str | None = None,
                      cap_fee_percent: Decimal | None = None, clear_cap: bool = False) -> Memorandum:
    """A draft's cycle (monthly or quarterly, EV-03), standard text and monthly cap."""
    require(user, "contracts.memorandum_edit")
    _own_unit(user, memo.system.unit_id)
    _editable(memo)
    if cycle is not None:
        if cycle not in Cycle.values:
            raise ValidationError({"cycle": _("考核周期应为 monthly 或 quarterly")})
        memo.cycle = cycle
    if standard is not None:
        memo.standard = standard
    if clear_cap:
        memo.cap_fee_percent = None
    elif cap_fee_percent is not None:
        if not Decimal(0) <= Decimal(cap_fee_percent) <= Decimal(100):
            raise ValidationError({"cap_fee_percent": _("上限应在 0 到 100 之间")})
        memo.cap_fee_percent = cap_fee_percent
    memo.save(update_fields=["cycle", "standard", "cap_fee_percent"])
    return memo


def delete_rule(user, rule: Rule) -> None:
    require(user, "contracts.memorandum_edit")
    _own_unit(user, rule.memorandum.system.unit_id)
    _editable(rule.memorandum)
    rule.delete()


def submit_memorandum(user, memo: Memorandum) -> Memorandum:
    """To signature: the unit, the contractor and the bureau (sign-off "contracts.memorandum")."""
    require(user, "contracts.memorandum_edit")
    _own_unit(user, memo.system.unit_id)
    _editable(memo)
    if not memo.rules.exists():
        raise ValidationError({"rules": _("备忘录没有任何考核规则")})
    with transaction.atomic():
        memo.state = MemorandumState.SIGNING
        memo.save(update_fields=["state"])
        signoffs.start(user, memo, "contracts.memorandum", title=_("管理备忘录签署：%(memo)s") % {"memo": memo},
                       system=memo.system)
    return memo


def memorandum_signed(signoff) -> None:
    Memorandum.objects.filter(pk=signoff.subject_id).update(state=MemorandumState.IN_FORCE)


def memorandum_rejected(signoff) -> None:
    Memorandum.objects.filter(pk=signoff.subject_id).update(state=MemorandumState.DRAFT)


def memorandum_in_force(system_ids, month: dt.date) -> dict[int, Memorandum]:
    """{system_id: the signed memorandum that governs the month} — the latest effective on or before it."""
    result: dict[int, Memorandum] = {}
    for memo in (Memorandum.objects.filter(system_id__in=system_ids, state=MemorandumState.IN_FORCE,
                                           effective_month__lte=month).order_by("system_id", "effective_month")
                 .prefetch_related("rules")):
        result[memo.system_id] = memo  # later effective months overwrite earlier ones
    return result


# ---------------------------------------------------------------- evaluations

def _rule_of(rule: Rule) -> calc.Rule:
    return calc.Rule(rule.indicator, rule.comparison, rule.threshold, rule.consequence, rule.value, rule.mode,
                     rule.cap_amount, rule.cap_points)


def _json_value(value):
    if isinstance(value, Decimal):
        return float(value)
    return value


def month_context(systems: list[System], month: dt.date, contract) -> dict:
    """What the pre-fill of a month reads, in bulk for all the systems: the memoranda in force, the fees,
    and every fact their rules name (one facts.table: the providers' grouped queries run once)."""
    ids = [s.pk for s in systems]
    memos = memorandum_in_force(ids, month)
    fees = {f.system_id: f.annual_fee for f in SystemFee.objects.filter(contract=contract, system_id__in=ids)} \
        if contract else {}
    keys = {r.indicator for m in memos.values() for r in m.rules.all() if r.indicator != MANUAL}
    quarterly = [pk for pk, m in memos.items() if m.cycle == Cycle.QUARTERLY]
    return {"memos": memos, "fees": fees, "values": periods.values(keys, ids, month, quarterly)}


def build_items(evaluation: Evaluation, systems: list[System], contract, context: dict | None = None
                ) -> list[EvaluationItem]:
    """The items of the unit's systems for the month, pre-filled from the facts (not saved)."""
    month = evaluation.month
    context = context or month_context(systems, month, contract)
    memos, fees, values = context["memos"], context["fees"], context["values"]
    items = []
    for system in systems:
        memo = memos.get(system.pk)
        if memo is None or not calc.evaluated_in(memo.cycle, month):
            continue  # no memorandum, or a quarterly one outside the quarter's last month
        monthly_fee = periods.period_fee(contract, fees.get(system.pk, 0), memo.cycle, month,
                                         system.service_start, system.service_end)
        period_months = len(periods.months_of(memo.cycle, month))
        for rule in memo.rules.all():
            value = None if rule.indicator == MANUAL else values[rule.indicator].get(system.pk)
            outcome = calc.apply(_rule_of(rule), value, monthly_fee)
            # ids, not objects: thousands of items a month, and the related-object checks cost more than the sums
            items.append(EvaluationItem(
                evaluation_id=evaluation.pk, system_id=system.pk, rule_id=rule.pk, memorandum_id=memo.pk,
                indicator=rule.indicator, period_months=period_months,
                label=rule.label, fact_value=_json_value(value), measured=outcome.measured,
                monthly_fee=monthly_fee, computed_points=outcome.points, computed_amount=outcome.amount,
                points=outcome.points, amount=outcome.amount))
    _cap_month(items, {pk: memos[pk] for pk in {i.system_id for i in items}})
    return items


def _cap_month(items: list[EvaluationItem], memos: dict[int, Memorandum]) -> None:
    """The memorandum's cap on a month's deductions: the excess is taken off the last items, in order."""
    by_system: dict[int, list[EvaluationItem]] = {}
    for item in items:
        by_system.setdefault(item.system_id, []).append(item)
    for system_id, own in by_system.items():
        memo = memos[system_id]
        total, capped = calc.month_total([i.amount for i in own], own[0].monthly_fee, memo.cap_fee_percent)
        excess = sum((i.amount for i in own), Decimal(0)) - total
        for item in reversed(own):
            if excess <= 0:
                break
            cut = min(item.amount, excess)
            item.amount -= cut
            item.computed_amount = item.amount
            item.comment = _("已按备忘录月度扣款上限（%(pct)s%%）核减") % {"pct": memo.cap_fee_percent}
            excess -= cut


def prefill(user, unit, month: dt.date, *, contract=None, now: dt.datetime | None = None) -> Evaluation:
    """The unit's evaluation of the month, pre-filled from the facts of its systems' memoranda."""
    from .selectors import contract_current

    require(user, "contracts.evaluate")
    _own_unit(user, unit.pk)
    month = month.replace(day=1)
    contract = contract or contract_current()
    with transaction.atomic():
        existing = Evaluation.objects.select_for_update().filter(unit=unit, month=month)
        if existing.exclude(state=EvaluationState.SUPERSEDED).exists():
            raise ValidationError({"month": _("该月份已有考核记录；更正请出新版本")})
        version = (existing.aggregate(v=Max("version"))["v"] or 0) + 1
        evaluation = Evaluation.objects.create(unit=unit, month=month, version=version, created_by=user,
                                               prefilled_at=now or timezone.now())
        systems = list(scoped(System.objects.filter(unit=unit), user).order_by("row_no", "id"))
        EvaluationItem.objects.bulk_create(build_items(evaluation, systems, contract))
    return evaluation


def prefill_units(user, month: dt.date, *, units=None, contract=None, now: dt.datetime | None = None
                  ) -> list[Evaluation]:
    """The bureau opens a month for every unit (or `units`) at once: the same pre-fill as `prefill`, with the
    facts of all the systems read together. Units that already have the month are left alone."""
    from tongyun.parties.models import Organisation

    from .selectors import contract_current

    require(user, "contracts.manage")
    month = month.replace(day=1)
    contract = contract or contract_current()
    systems = list(scoped(System.objects.all(), user).order_by("row_no", "id"))
    if units is not None:
        unit_ids = {u.pk for u in units}
        systems = [s for s in systems if s.unit_id in unit_ids]
    by_unit: dict[int, list[System]] = {}
    for system in systems:
        by_unit.setdefault(system.unit_id, []).append(system)
    with transaction.atomic():
        taken = set(Evaluation.objects.select_for_update().filter(month=month, unit_id__in=by_unit)
                    .exclude(state=EvaluationState.SUPERSEDED).values_list("unit_id", flat=True))
        versions = dict(Evaluation.objects.filter(month=month, unit_id__in=by_unit).values_list("unit_id")
                        .annotate(v=Max("version")).order_by())
        open_units = [pk for pk in by_unit if pk not in taken]
        if not open_units:
            return []
        context = month_context([s for pk in open_units for s in by_unit[pk]], month, contract)
        units_by_id = Organisation.objects.in_bulk(open_units)
        created = Evaluation.objects.bulk_create([
            Evaluation(unit=units_by_id[pk], month=month, version=versions.get(pk, 0) + 1, created_by=user,
                       prefilled_at=now or timezone.now()) for pk in open_units])
        items = []
        for evaluation in created:
            items.extend(build_items(evaluation, by_unit[evaluation.unit_id], contract, context))
        EvaluationItem.objects.bulk_create(items, batch_size=2000)
    return created


def open_month(month: dt.date, *, now: dt.datetime | None = None) -> list[Evaluation]:
    """The worker's monthly run (contracts.tasks): `prefill_units` acting for the bureau administrator —
    the party that opens a month for every unit. Nothing is opened while no contract or administrator exists."""
    from tongyun.parties.choices import Role
    from tongyun.parties.models import User

    from .selectors import contract_current

    actor = User.objects.filter(role=Role.BUREAU_ADMIN, is_active=True).order_by("pk").first()
    if actor is None or contract_current() is None:
        return []
    return prefill_units(actor, month, now=now)


def _editable_by_unit(user, evaluation: Evaluation) -> None:
    require(user, "contracts.evaluate")
    _own_unit(user, evaluation.unit_id)
    evaluation.refresh_from_db(fields=["state"])  # the state moves with the sign-off: never trust a copy
    if not evaluation.editable:
        raise ValidationError({"state": _("考核记录已进入签署或已签署，更正请出新版本")})


def adjust_item(user, item: EvaluationItem, *, points: Decimal | None = None, amount: Decimal | None = None,
                reason: str = "", manual_value=None) -> EvaluationItem:
    """The unit sets a manual item's value, or changes a deduction — with a reason when it departs from the
    pre-filled figure."""
    _editable_by_unit(user, item.evaluation)
    with transaction.atomic():
        if manual_value is not None:
            if item.indicator != MANUAL:
                raise ValidationError({"manual_value": _("只有人工评定项可以填写数值")})
            outcome = calc.apply(_rule_of(item.rule), Decimal(str(manual_value)), item.monthly_fee)
            item.fact_value, item.measured = float(manual_value), True
            item.computed_points, item.computed_amount = outcome.points, outcome.amount
            item.points, item.amount = outcome.points, outcome.amount
        if points is not None:
            item.points = Decimal(points)
        if amount is not None:
            item.amount = fee_calc.money(amount)
        if item.points < 0 or item.amount < 0:
            raise ValidationError({"amount": _("扣分、扣款不能为负")})
        if item.adjusted and not reason.strip() and not item.adjust_reason:
            raise ValidationError({"reason": _("调整预填结果须写明理由")})
        if reason.strip():
            item.adjust_reason = reason.strip()
        item.save()
    return item


def publish(user, evaluation: Evaluation, *, comment: str = "", now: dt.datetime | None = None) -> Evaluation:
    """The unit hands the evaluation to the contractor; objections are open for 5 working days."""
    _editable_by_unit(user, evaluation)
    now = now or timezone.now()
    evaluation.state, evaluation.published_at = EvaluationState.PUBLISHED, now
    evaluation.objection_due_at = working_days_after(now, OBJECTION_WORKING_DAYS)
    if comment:
        evaluation.comment = comment
    evaluation.save(update_fields=["state", "published_at", "objection_due_at", "comment"])
    return evaluation


def raise_objection(user, item: EvaluationItem, *, text: str, requested_amount: Decimal = Decimal(0),
                    evidence=None) -> Objection:
    require(user, "contracts.object")
    item.evaluation.refresh_from_db(fields=["state"])
    if item.evaluation.state != EvaluationState.PUBLISHED:
        raise ValidationError({"state": _("只能对已提交服务商、尚未签署的考核提出申诉")})
    if not text.strip():
        raise ValidationError({"text": _("请写明申诉理由")})
    if requested_amount is None or Decimal(requested_amount) < 0 or Decimal(requested_amount) > item.amount:
        raise ValidationError({"requested_amount": _("申请金额应在 0 与当前扣款之间")})
    if item.objections.filter(state__in=[ObjectionState.OPEN, ObjectionState.ESCALATED]).exists():
        raise ValidationError({"text": _("该项已有待处理的申诉")})
    return Objection.objects.create(item=item, raised_by=user, text=text.strip(),
                                    requested_amount=fee_calc.money(requested_amount),
                                    **({"evidence": evidence} if evidence else {}))


def _settle(objection: Objection, user, accepted: bool, reason: str, states: tuple[str, str]) -> Objection:
    if not reason.strip():
        raise ValidationError({"reason": _("请写明处理意见")})
    with transaction.atomic():
        objection.state = states[0] if accepted else states[1]
        objection.decided_by, objection.decided_at = user, timezone.now()
        objection.decision_reason = reason.strip()
        objection.save()
        if accepted:
            item = objection.item
            item.amount = objection.requested_amount
            item.adjust_reason = _("采纳申诉：%(reason)s") % {"reason": reason.strip()}
            item.save(update_fields=["amount", "adjust_reason"])
    return objection


def decide_objection(user, objection: Objection, *, accepted: bool, reason: str) -> Objection:
    """The unit accepts (the item's deduction becomes the requested amount) or rejects, with a reason."""
    _editable_by_unit(user, objection.item.evaluation)
    if objection.state != ObjectionState.OPEN:
        raise ValidationError({"state": _("该申诉已处理")})
    return _settle(objection, user, accepted, reason, (ObjectionState.ACCEPTED, ObjectionState.REJECTED))


def escalate(user, objection: Objection) -> Objection:
    """The contractor takes a rejected objection to the bureau (EV-05: the bureau mediates)."""
    require(user, "contracts.object")
    if objection.state != ObjectionState.REJECTED or not objection.item.evaluation.editable:
        raise ValidationError({"state": _("只有未采纳、尚未签署的申诉可以提请甲方协调")})
    objection.state = ObjectionState.ESCALATED
    objection.save(update_fields=["state"])
    return objection


def mediate(user, objection: Objection, *, accepted: bool, reason: str) -> Objection:
    require(user, "contracts.mediate")
    if objection.state != ObjectionState.ESCALATED:
        raise ValidationError({"state": _("该申诉未提请甲方协调")})
    return _settle(objection, user, accepted, reason, (ObjectionState.BUREAU_ACCEPTED, ObjectionState.BUREAU_REJECTED))


def start_signing(user, evaluation: Evaluation, *, now: dt.datetime | None = None) -> Evaluation:
    """To signature by the unit, the contractor and the bureau; no objection may be pending."""
    _editable_by_unit(user, evaluation)
    if Objection.objects.filter(item__evaluation=evaluation,
                                state__in=[ObjectionState.OPEN, ObjectionState.ESCALATED]).exists():
        raise ValidationError({"state": _("尚有未处理的申诉")})
    now = now or timezone.now()
    with transaction.atomic():
        evaluation.state = EvaluationState.SIGNING
        evaluation.save(update_fields=["state"])
        signoffs.start(user, evaluation, "contracts.evaluation", unit=evaluation.unit, now=now,
                       title=_("考核记录签署：%(unit)s %(month)s") % {"unit": evaluation.unit,
                                                                     "month": f"{evaluation.month:%Y-%m}"},
                       due_at=working_days_after(now, SIGNING_WORKING_DAYS))
    return evaluation


def evaluation_signed(signoff) -> None:
    Evaluation.objects.filter(pk=signoff.subject_id).update(state=EvaluationState.SIGNED)


def evaluation_refused(signoff) -> None:
    """A party refused to sign: back to the unit, which corrects and submits again."""
    Evaluation.objects.filter(pk=signoff.subject_id).update(state=EvaluationState.PUBLISHED)


def new_version(user, evaluation: Evaluation, *, reason: str) -> Evaluation:
    """A correction of a signed record: the old one is kept (superseded), the new one is pre-filled from
    today's facts and goes through review and signature again."""
    require(user, "contracts.evaluate")
    _own_unit(user, evaluation.unit_id)
    if evaluation.state != EvaluationState.SIGNED:
        raise ValidationError({"state": _("只有已签署的考核记录才能出新版本")})
    if not reason.strip():
        raise ValidationError({"reason": _("请说明更正原因")})
    with transaction.atomic():
        evaluation.state = EvaluationState.SUPERSEDED
        evaluation.save(update_fields=["state"])
        fresh = prefill(user, evaluation.unit, evaluation.month)
        fresh.supersedes, fresh.comment = evaluation, reason.strip()
        fresh.save(update_fields=["supersedes", "comment"])
    return fresh


# ---------------------------------------------------------------- penalty decision (sign-off reactions)

def penalty_imposed(signoff) -> None:
    from .choices import PenaltyState
    from .models import PenaltyCase

    PenaltyCase.objects.filter(pk=signoff.subject_id).update(state=PenaltyState.IMPOSED)


def penalty_dismissed(signoff) -> None:
    from .choices import PenaltyState
    from .models import PenaltyCase

    PenaltyCase.objects.filter(pk=signoff.subject_id).update(state=PenaltyState.DISMISSED)
