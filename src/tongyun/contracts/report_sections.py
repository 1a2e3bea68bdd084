"""Report sections of the contract domain (tongyun.core.report_sections).

- contracts.evaluation: the deductions of the period's evaluation records (考核记录, the latest version of
  each unit and month) for the scope's systems — points and amounts per indicator; material of the
  finance review (RD-08).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tongyun.core import report_sections as rs

from .choices import EvaluationState
from .models import EvaluationItem


def evaluation(system_ids: list[int], start: dt.date, end: dt.date) -> rs.SectionData:
    items = (EvaluationItem.objects.filter(system_id__in=system_ids, evaluation__month__gte=start.replace(day=1),
                                           evaluation__month__lte=end)
             .exclude(evaluation__state=EvaluationState.SUPERSEDED).select_related("evaluation"))
    per_indicator: dict[str, list] = defaultdict(lambda: [Decimal(0), Decimal(0)])
    signed = set()
    for item in items:
        per_indicator[item.label][0] += item.points
        per_indicator[item.label][1] += item.amount
        if item.evaluation.state == EvaluationState.SIGNED:
            signed.add(item.evaluation_id)
    points = sum((v[0] for v in per_indicator.values()), Decimal(0))
    amount = sum((v[1] for v in per_indicator.values()), Decimal(0))
    return rs.SectionData(
        figures=[rs.Figure(_("扣分合计"), float(points), _("分")), rs.Figure(_("扣款合计"), float(amount), _("元")),
                 rs.Figure(_("已签署考核记录"), len(signed), _("份"))],
        tables=[rs.Table(_("考核扣分扣款"), [_("指标"), _("扣分"), _("扣款（元）")],
                         [[label, float(v[0]), float(v[1])] for label, v in sorted(per_indicator.items())])],
        text="" if per_indicator else _("本期没有考核记录。"))


SECTIONS = [rs.Section("contracts.evaluation", gettext_lazy("考核及扣款"), evaluation)]


def register() -> None:
    for section in SECTIONS:
        rs.register(section)
