"""A memorandum that says quarterly (EV-03): the system is evaluated in the quarter's last month, over the
three months' facts and fee; numbers checked by hand in the comments."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tongyun.contracts import evaluations, selectors
from tongyun.contracts.tests.test_money import RULES, incident, items_by_indicator, setup  # noqa: F401
from tongyun.signoffs import services as signoffs
from tongyun.signoffs.selectors import signoff_for


def quarterly_memo(s):
    memo = evaluations.propose_memorandum(s["unit"], s["system"], effective_month=dt.date(2026, 1, 1),
                                          template=RULES)
    with pytest.raises(ValidationError):
        evaluations.update_memorandum(s["unit"], memo, cycle="yearly")
    evaluations.update_memorandum(s["unit"], memo, cycle="quarterly")
    evaluations.submit_memorandum(s["unit"], memo)
    signoff = signoff_for(memo, "contracts.memorandum")
    for user in (s["unit"], s["pm"], s["bureau"]):
        signoff = signoffs.decide(user, signoff, "approve")
    with pytest.raises(ValidationError):  # signed: the cycle changes only in a new version
        evaluations.update_memorandum(s["unit"], memo, cycle="monthly")
    return memo


def test_a_quarterly_memorandum_is_evaluated_in_the_quarters_last_month(setup):  # noqa: F811
    s = setup
    quarterly_memo(s)
    incident(s["system"], "general", (2026, 1, 5, 10), repair_hours_late=2)   # January: late
    incident(s["system"], "general", (2026, 2, 5, 10), repair_hours_late=2)   # February: late
    incident(s["system"], "general", (2026, 3, 5, 10))                        # March: on time
    incident(s["system"], "general", (2026, 4, 5, 10), repair_hours_late=2)   # April: next quarter

    february = evaluations.prefill(s["unit"], s["system"].unit, dt.date(2026, 2, 1))
    assert not february.items.filter(system=s["system"]).exists()  # not this system's period end

    march = evaluations.prefill(s["unit"], s["system"].unit, dt.date(2026, 3, 1))
    items = items_by_indicator(march)
    breaches = items["incidents.repair_breaches_general"]
    assert breaches.period_months == 3
    # the quarter's fee: 120000 × (31 + 28 + 31) / 365 = 29589.04 (the months' shares 10191.78 + 9205.48 + 10191.78)
    assert breaches.monthly_fee == Decimal("29589.04")
    # 2 breaches in the quarter (January, February; April is not in it) × 200 = 400
    assert breaches.fact_value == 2 and breaches.amount == Decimal("400.00")
    # repair met: January 0 %, February 0 %, March 100 % → mean 33.3 % < 95 % → 3 % of the quarter's fee = 887.67
    assert items["incidents.repair_met_pct"].fact_value == 33.3
    assert items["incidents.repair_met_pct"].amount == Decimal("887.67")
    # the "facts changed" check reads the same quarter: nothing changed yet, then a late repair in January shows
    assert selectors.facts_changed(march) == []
    incident(s["system"], "general", (2026, 1, 20, 10), repair_hours_late=1)
    changed = {c["item"].indicator: c for c in selectors.facts_changed(march)}
    assert changed["incidents.repair_breaches_general"]["now"] == 3


def test_the_memorandum_page_sets_the_cycle(setup, client_as):  # noqa: F811
    s = setup
    memo = evaluations.propose_memorandum(s["unit"], s["system"], effective_month=dt.date(2026, 1, 1),
                                          template=RULES)
    client = client_as("unit_admin_education")
    assert 'data-testid="memo-settings"' in client.get(memo.get_absolute_url()).content.decode()
    client.post(f"/contracts/memoranda/{memo.pk}/settings/", {"cycle": "quarterly", "cap_fee_percent": "",
                                                              "standard": "按季度考核"})
    memo.refresh_from_db()
    assert (memo.cycle, memo.cap_fee_percent, memo.standard) == ("quarterly", None, "按季度考核")
    client.post(f"/contracts/memoranda/{memo.pk}/settings/", {"cycle": "yearly", "cap_fee_percent": "15"})
    memo.refresh_from_db()
    assert memo.cycle == "quarterly" and memo.cap_fee_percent is None  # refused as a whole
