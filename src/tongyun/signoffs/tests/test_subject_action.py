"""A step decided only through the subject's own action (Step.subject_action): the generic services call,
pages and API refuse it (422 naming the decision, nothing changes); the subject's domain decides it with
by_subject=True; the panel points to the subject instead of offering the form."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tongyun.signoffs import flows, selectors, services
from tongyun.signoffs.choices import Party, SignOffState

FLOW = "tests.subject_action"
flows.register(flows.FlowType(
    key=FLOW, label="test subject action",
    steps=[flows.Step(Party.CONTRACTOR, subject_action="在事项页面提交"), flows.Step(Party.UNIT)],
))
pytestmark = pytest.mark.django_db


@pytest.fixture
def signoff(system_of, user_of):
    system = system_of("区经信局")
    return services.start(user_of("pm"), system, FLOW, title="subject action", system=system)


def test_only_the_subject_decides_its_step(signoff, user_of):
    pm, unit = user_of("pm"), user_of("unit_admin")
    assert not services.may_decide(pm, signoff) and services.may_decide(pm, signoff, by_subject=True)
    assert services.subject_action_of(pm, signoff) == "在事项页面提交"
    assert services.subject_action_of(unit, signoff) == ""  # not theirs at all
    assert selectors.awaiting(pm) == []
    with pytest.raises(ValidationError, match="在事项页面提交"):
        services.decide(pm, signoff, "approve")
    with pytest.raises(PermissionDenied):  # someone who does not decide the step is refused as before
        services.decide(unit, signoff, "approve", by_subject=True)
    signoff.refresh_from_db()
    assert signoff.current_position == 0 and [e.action for e in signoff.events.all()] == ["start"]
    services.decide(pm, signoff, "approve", by_subject=True)
    signoff.refresh_from_db()
    # the later steps are generic again
    assert services.may_decide(unit, signoff) and services.subject_action_of(unit, signoff) == ""
    services.decide(unit, signoff, "approve")
    signoff.refresh_from_db()
    assert signoff.state == SignOffState.COMPLETED


def test_generic_page_and_api_refuse_it(signoff, client_as, client, api_as):
    page = client_as("pm").get(f"/signoffs/{signoff.pk}/").content.decode()
    assert 'data-testid="signoff-subject-action"' in page and 'data-testid="signoff-form"' not in page
    client_as("pm").post(f"/signoffs/{signoff.pk}/decide/", {"decision": "approve"})
    answer = client.post(f"/api/v1/signoffs/{signoff.pk}/decision", {"decision": "approve"},
                         content_type="application/json", headers=api_as("pm"))
    assert answer.status_code == 422 and "decision" in answer.json()["errors"]
    signoff.refresh_from_db()
    assert signoff.current_position == 0 and signoff.state == SignOffState.PENDING
