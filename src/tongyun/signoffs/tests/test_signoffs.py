"""The one sign-off flow: order of parties, return with comment, rejection, immutability, lateness, versions,
the pages' panel and the API."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from tongyun.signoffs import flows, selectors, services
from tongyun.signoffs.choices import Party, SignOffState

FLOW = "tests.report_signature"
REACTIONS: list[tuple[str, int]] = []

flows.register(flows.FlowType(
    key=FLOW, label="test report",
    steps=[flows.Step(Party.CONTRACTOR, label="乙方提交"), flows.Step(Party.UNIT, label="用户单位确认"),
           flows.Step(Party.SUPERVISOR), flows.Step(Party.BUREAU)],
    on_complete=lambda s: REACTIONS.append(("complete", s.pk)),
    on_return=lambda s, to: REACTIONS.append(("return", to)),
))
REJECTABLE = "tests.replacement"
flows.register(flows.FlowType(key=REJECTABLE, label="test replacement", allows_reject=True,
                              steps=[flows.Step(Party.PURCHASER), flows.Step(Party.SUPERVISOR)]))


@pytest.fixture
def system(system_of):
    return system_of("区经信局")


@pytest.fixture
def signoff(system, user_of):
    REACTIONS.clear()
    return services.start(user_of("pm"), system, FLOW, title="2026-10 月报", system=system,
                          due_at=dt.datetime(2026, 11, 7, 15, 59, tzinfo=dt.UTC))


def test_parties_decide_in_order_and_completion_reacts_once(signoff, user_of):
    pm, unit, supervisor, bureau = (user_of(n) for n in ("pm", "unit_admin", "supervisor", "bureau_admin"))
    assert [s.party for s in signoff.steps.all()] == ["contractor", "unit", "supervisor", "bureau"]
    # the unit cannot sign before the contractor has submitted
    with pytest.raises(PermissionDenied):
        services.decide(unit, signoff, "approve")
    assert [s.pk for s in selectors.awaiting(pm)] == [signoff.pk]
    assert selectors.awaiting(unit) == []
    services.decide(pm, signoff, "approve", comment="提交")
    assert [s.pk for s in selectors.awaiting(unit)] == [signoff.pk]
    with pytest.raises(PermissionDenied):
        services.decide(bureau, signoff, "approve")
    services.decide(unit, signoff, "approve")
    services.decide(supervisor, signoff, "approve")
    assert REACTIONS == []
    services.decide(bureau, signoff, "approve", comment="同意")
    signoff.refresh_from_db()
    assert signoff.state == SignOffState.COMPLETED and signoff.current_position is None
    assert [("complete", signoff.pk)] == REACTIONS
    steps = list(signoff.steps.all())
    assert [s.decided_by.username for s in steps] == ["pm", "unit_admin", "supervisor", "bureau_admin"]
    # immutable once complete: any further decision is refused and changes nothing
    with pytest.raises(ValidationError):
        services.decide(bureau, signoff, "return", comment="再看看")
    assert signoff.steps.get(position=3).comment == "同意"
    assert [e.action for e in signoff.events.all()] == ["start", "approve", "approve", "approve", "approve"]


def test_a_unit_admin_of_another_unit_neither_sees_nor_decides(signoff, user_of):
    services.decide(user_of("pm"), signoff, "approve")
    other = user_of("unit_admin_education")
    assert selectors.awaiting(other) == []
    with pytest.raises(Http404):
        services.decide(other, signoff, "approve")
    signoff.refresh_from_db()
    assert signoff.current_position == 1


def test_return_needs_a_comment_and_clears_the_later_decisions(signoff, user_of):
    pm, unit, supervisor = user_of("pm"), user_of("unit_admin"), user_of("supervisor")
    services.decide(pm, signoff, "approve")
    services.decide(unit, signoff, "approve")
    with pytest.raises(ValidationError):
        services.decide(supervisor, signoff, "return", comment=" ")
    services.decide(supervisor, signoff, "return", comment="附件缺少巡检照片")
    signoff.refresh_from_db()
    assert signoff.current_position == 0 and signoff.current_party == "contractor"
    assert [s.decision for s in signoff.steps.all()] == ["", "", "", ""]
    assert REACTIONS == [("return", 0)]
    # the events keep what the cleared steps said
    assert [e.action for e in signoff.events.all()] == ["start", "approve", "approve", "return"]
    # return to a named earlier step; not to the current one or later
    services.decide(pm, signoff, "approve", comment="已补充")
    services.decide(unit, signoff, "approve")
    with pytest.raises(ValidationError):
        services.decide(supervisor, signoff, "return", comment="x", to_position=2)
    services.decide(supervisor, signoff, "return", comment="请单位复核", to_position=1)
    signoff.refresh_from_db()
    assert signoff.current_position == 1
    assert signoff.steps.get(position=0).decision == "approve"


def test_reject_only_where_the_flow_allows_it(signoff, system, user_of):
    services.decide(user_of("pm"), signoff, "approve")
    with pytest.raises(ValidationError):
        services.decide(user_of("unit_admin"), signoff, "reject", comment="不同意")
    replacement = services.start(user_of("engineer"), system, REJECTABLE, title="更换摄像机", system=system)
    with pytest.raises(ValidationError):
        services.decide(user_of("unit_admin"), replacement, "reject")  # a reason is required
    services.decide(user_of("unit_admin"), replacement, "reject", comment="可维修")
    replacement.refresh_from_db()
    assert replacement.state == SignOffState.REJECTED


def test_one_person_decides_one_step(system, user_of):
    flows.register(flows.FlowType(key="tests.two_purchasers", label="x",
                                  steps=[flows.Step(Party.PURCHASER), flows.Step(Party.BUREAU)]))
    signoff = services.start(user_of("engineer"), system, "tests.two_purchasers", title="x", system=system)
    bureau = user_of("bureau_admin")
    services.decide(bureau, signoff, "approve")
    signoff.refresh_from_db()
    assert not services.may_decide(bureau, signoff)
    with pytest.raises(PermissionDenied):
        services.decide(bureau, signoff, "approve")


def test_one_open_signoff_per_subject_and_corrections_are_new_versions(signoff, system, user_of):
    with pytest.raises(ValidationError):
        services.start(user_of("pm"), system, FLOW, title="again", system=system)
    with pytest.raises(ValidationError):
        services.new_version(user_of("pm"), signoff, comment="更正")  # not complete yet
    for name in ("pm", "unit_admin", "supervisor", "bureau_admin"):
        services.decide(user_of(name), signoff, "approve")
    second = services.new_version(user_of("pm"), signoff, comment="更正第 3 项数据")
    signoff.refresh_from_db()
    assert signoff.state == SignOffState.SUPERSEDED and second.supersedes_id == signoff.pk
    assert second.version == 2 and second.state == SignOffState.PENDING and second.current_position == 0
    assert selectors.signoff_for(system, FLOW).pk == second.pk
    assert not selectors.is_complete(system, FLOW)


def test_lateness_against_the_deadline(signoff, user_of):
    assert signoff.is_late(now=dt.datetime(2026, 11, 8, tzinfo=dt.UTC))
    assert not signoff.is_late(now=dt.datetime(2026, 11, 6, tzinfo=dt.UTC))
    late = dt.datetime(2026, 11, 9, tzinfo=dt.UTC)
    for name in ("pm", "unit_admin", "supervisor", "bureau_admin"):
        services.decide(user_of(name), signoff, "approve", now=late)
    signoff.refresh_from_db()
    assert signoff.ended_at == late and signoff.is_late()


def test_withdraw_by_the_starter_only(signoff, user_of):
    with pytest.raises(PermissionDenied):
        services.withdraw(user_of("dispatcher"), signoff)
    services.withdraw(user_of("pm"), signoff, comment="重新起草")
    signoff.refresh_from_db()
    assert signoff.state == SignOffState.WITHDRAWN


def test_the_panel_shows_the_form_to_the_party_whose_turn_it_is(signoff, client_as, user_of):
    url = f"/signoffs/{signoff.pk}/"
    assert 'data-testid="signoff-form"' not in client_as("unit_admin").get(url).content.decode()
    page = client_as("pm").get(url).content.decode()
    assert 'data-testid="signoff-form"' in page and "乙方提交" in page
    response = client_as("pm").post(f"/signoffs/{signoff.pk}/decide/", {"decision": "approve", "comment": "提交"})
    assert response.status_code == 302
    unit = client_as("unit_admin")
    assert "2026-10 月报" in unit.get("/signoffs/").content.decode()
    unit.post(f"/signoffs/{signoff.pk}/decide/", {"decision": "return", "comment": ""})
    signoff.refresh_from_db()
    assert signoff.current_position == 1  # a return without a comment changed nothing
    unit.post(f"/signoffs/{signoff.pk}/decide/", {"decision": "approve"})
    signoff.refresh_from_db()
    assert signoff.current_position == 2


def test_api_lists_what_awaits_me_and_takes_decisions(signoff, client, api_as):
    pm = api_as("pm")
    awaiting = client.get("/api/v1/signoffs?awaiting_me=true", headers=pm).json()
    assert [row["id"] for row in awaiting] == [signoff.pk] and awaiting[0]["may_decide"]
    assert client.get("/api/v1/signoffs?awaiting_me=true", headers=api_as("unit_admin")).json() == []
    url = f"/api/v1/signoffs/{signoff.pk}/decision"
    bad = client.post(url, {"decision": "approve", "signature": "x"}, content_type="application/json", headers=pm)
    assert bad.status_code == 422 and "signature" in bad.content.decode()
    unknown = client.post(url, {"decision": "maybe"}, content_type="application/json", headers=pm)
    assert unknown.status_code == 422
    done = client.post(url, {"decision": "approve", "comment": "提交"}, content_type="application/json", headers=pm)
    assert done.status_code == 200 and done.json()["current_party"] == "unit"
    refused = client.post(url, {"decision": "approve"}, content_type="application/json", headers=pm)
    assert refused.status_code == 403
    other = client.get(f"/api/v1/signoffs/{signoff.pk}", headers=api_as("unit_admin_education"))
    assert other.status_code == 404
