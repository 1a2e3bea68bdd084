"""What waits for a person in the contract: evaluations to review, objections to decide or to raise."""

from django.urls import reverse
from django.utils.translation import gettext as _

from tongyun.core.permissions import can
from tongyun.core.scoping import scoped
from tongyun.core.worklist import WorkItem

from .choices import EvaluationState, ObjectionState
from .models import Evaluation, Objection


def work_items(user) -> list[WorkItem]:
    items = []
    if can(user, "contracts.evaluate"):
        for evaluation in scoped(Evaluation.objects.filter(state=EvaluationState.DRAFT).select_related("unit"),
                                 user)[:20]:
            items.append(WorkItem(_("考核待评审"), f"{evaluation.unit} {evaluation.month:%Y-%m}",
                                  reverse("contracts:evaluation_detail", args=[evaluation.pk])))
        for objection in scoped(Objection.objects.filter(state=ObjectionState.OPEN)
                                .select_related("item__evaluation__unit", "item__system"), user)[:20]:
            items.append(WorkItem(_("申诉待处理"), f"{objection.item.system} · {objection.item.label}",
                                  reverse("contracts:evaluation_detail", args=[objection.item.evaluation_id]),
                                  level="warning"))
    if can(user, "contracts.object"):
        for evaluation in scoped(Evaluation.objects.filter(state=EvaluationState.PUBLISHED).select_related("unit"),
                                 user)[:20]:
            items.append(WorkItem(_("考核待确认（可申诉）"), f"{evaluation.unit} {evaluation.month:%Y-%m}",
                                  reverse("contracts:evaluation_detail", args=[evaluation.pk]),
                                  due=evaluation.objection_due_at))
    if can(user, "contracts.mediate"):
        count = Objection.objects.filter(state=ObjectionState.ESCALATED).count()
        if count:
            items.append(WorkItem(_("申诉待甲方协调"), _("%(n)s 项申诉待协调") % {"n": count},
                                  reverse("contracts:evaluation_list"), level="warning", count=count))
    return items
