"""A unit user evaluates a month and signs, in a real browser against a live server."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

pytestmark = pytest.mark.browser
UNIT = "区教委"


def _prepare():
    """Contract, fee and a signed memorandum for the unit's first system, and one late 一般 repair in March."""
    from tongyun.catalog.models import System
    from tongyun.contracts import evaluations, services
    from tongyun.contracts.templates import DISTRICT_TEMPLATE
    from tongyun.incidents.models import Incident
    from tongyun.parties.models import User
    from tongyun.signoffs import services as signoffs
    from tongyun.signoffs.selectors import signoff_for

    bureau, unit, pm = (User.objects.get(username=n) for n in ("bureau_admin", "unit_admin_education", "pm"))
    system = System.objects.filter(unit__name=UNIT).order_by("row_no").first()
    system.service_start, system.service_end = dt.date(2026, 1, 1), None
    system.save(update_fields=["service_start", "service_end"])
    contract = services.save_contract(bureau, **{**services.DEFAULT_CONTRACT, "price": Decimal("10000000")})
    services.set_fee(bureau, contract, system, Decimal("120000"))
    rules = [r for r in DISTRICT_TEMPLATE if r["indicator"] in ("incidents.repair_met_pct",
                                                                  "incidents.repair_breaches_general")]
    memo = evaluations.propose_memorandum(unit, system, effective_month=dt.date(2026, 1, 1), template=rules)
    evaluations.submit_memorandum(unit, memo)
    signoff = signoff_for(memo, "contracts.memorandum")
    for user in (unit, pm, bureau):
        signoff = signoffs.decide(user, signoff, "approve")
    reported = dt.datetime(2026, 3, 3, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
    Incident.objects.create(system=system, title="t", severity="general", state="resolved", reported_at=reported,
                            repair_due=reported + dt.timedelta(hours=4),
                            resolved_at=reported + dt.timedelta(hours=6))
    return system


def test_unit_user_evaluates_a_month_and_signs(new_page, login, seeded):
    from playwright.sync_api import expect

    from tongyun.contracts.models import Evaluation

    system = _prepare()
    page = new_page(viewport={"width": 1280, "height": 900})
    login(page, "unit_admin_education")
    page.goto(f"{seeded.url}/contracts/")
    page.fill("[data-testid=evaluation-month]", "2026-03")
    page.click("[data-testid=evaluation-create]")
    # pre-filled from the facts: 1 breach × 200 + repair met 0 % → 3 % of 10191.78 = 305.75 → 505.75
    expect(page.locator("[data-testid=total-amount]")).to_have_text("505.75")
    expect(page.locator("[data-testid=item-table]")).to_contain_text(system.name)
    page.click("[data-testid=evaluation-publish]")
    expect(page.locator("[data-testid=evaluation-state]")).to_have_text("待服务商确认")
    page.click("[data-testid=evaluation-sign]")
    expect(page.locator("[data-testid=evaluation-state]")).to_have_text("三方签署中")
    page.click("[data-testid=signoff-approve]")
    expect(page.locator("[data-testid=signoff-panel] li[data-step='0']")).to_contain_text("同意")
    evaluation = Evaluation.objects.get(unit=system.unit, month=dt.date(2026, 3, 1))
    steps = list(evaluation_signoff(evaluation).steps.order_by("position").values_list("decision", flat=True))
    assert steps == ["approve", "", ""]
    assert not page.requests.external()


def evaluation_signoff(evaluation):
    from tongyun.signoffs.selectors import signoff_for

    return signoff_for(evaluation, "contracts.evaluation")
