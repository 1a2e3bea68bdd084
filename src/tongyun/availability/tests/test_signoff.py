"""Maintenance windows and accepted outages are decided through the project's one sign-off flow
(tongyun.signoffs): a request opens a sign-off, the decision — from the availability pages or the sign-off
pages — is a step of it, the outcome is recorded on the request; existing requests get their sign-off from
the data migration."""

import importlib

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from tongyun.availability import services
from tongyun.availability.models import MaintenanceWindow
from tongyun.signoffs import selectors as signoff_selectors
from tongyun.signoffs import services as signoffs

from .conftest import at


@pytest.fixture
def jxj(system_of):
    return system_of("区经信局")


def _window(user_of, system, reason="升级"):
    return services.request_window(user_of("pm"), system, start=at(10, 5, 10), end=at(10, 5, 20), reason=reason)


def test_a_request_opens_its_signoff_and_the_decision_is_its_step(jxj, user_of):
    window = _window(user_of, jxj)
    signoff = services.request_signoff(window)
    assert signoff.flow == services.WINDOW_FLOW and signoff.is_open
    assert signoff.unit_id == jxj.unit_id and signoff.system_id == jxj.pk
    assert signoff.started_by.username == "pm"
    services.approve_window(user_of("unit_admin"), window, note="同意")
    signoff.refresh_from_db()
    step = signoff.steps.get()
    assert signoff.is_complete and step.decision == "approve" and step.decided_by.username == "unit_admin"
    assert [event.action for event in signoff.events.all()] == ["start", "approve"]
    window.refresh_from_db()
    assert window.state == "approved" and window.decided_by.username == "unit_admin"
    assert window.decision_note == "同意" and window.decided_at == step.decided_at


def test_the_unit_admin_finds_the_window_in_awaiting_and_decides_it_on_the_signoff(jxj, user_of):
    window = _window(user_of, jxj)
    signoff = services.request_signoff(window)
    assert signoff in signoff_selectors.awaiting(user_of("unit_admin"))
    assert signoff not in signoff_selectors.awaiting(user_of("unit_admin_police"))  # another unit's
    assert signoff in signoff_selectors.awaiting(user_of("bureau_admin"))
    signoffs.decide(user_of("bureau_admin"), signoff, "reject", comment="与重保期冲突")
    window.refresh_from_db()
    assert window.state == "rejected" and window.decision_note == "与重保期冲突"
    assert window.decided_by.username == "bureau_admin"
    with pytest.raises(ValidationError):
        services.approve_window(user_of("unit_admin"), window)  # decided: final


def test_an_outage_is_accepted_only_with_evidence_whichever_page_decides(jxj, user_of):
    accepted = services.request_acceptance(user_of("pm"), jxj, kind="construction", start=at(10, 6, 1),
                                           end=at(10, 6, 16), description="道路施工断电")
    signoff = services.request_signoff(accepted)
    assert signoff.flow == services.ACCEPTANCE_FLOW
    assert signoff not in signoff_selectors.awaiting(user_of("unit_admin"))  # the bureau's decision only
    with pytest.raises(ValidationError) as refused:
        signoffs.decide(user_of("bureau_admin"), signoff, "approve")
    assert "evidence" in refused.value.message_dict
    signoff.refresh_from_db()
    accepted.refresh_from_db()
    assert signoff.is_open and accepted.state == "requested"  # nothing changed
    services.attach_evidence(user_of("pm"), accepted, SimpleUploadedFile("施工通知.pdf", b"%PDF-1.4"))
    signoffs.decide(user_of("bureau_admin"), signoff, "approve", comment="属实")
    accepted.refresh_from_db()
    assert accepted.state == "approved" and accepted.decided_by.username == "bureau_admin"


def test_a_request_is_not_withdrawn(jxj, user_of):
    window = _window(user_of, jxj)
    with pytest.raises(ValidationError):
        signoffs.withdraw(user_of("pm"), services.request_signoff(window))
    assert services.request_signoff(window).is_open


def test_the_data_migration_gives_existing_requests_their_signoff(jxj, user_of):
    pm, unit_admin = user_of("pm"), user_of("unit_admin")
    waiting = MaintenanceWindow.objects.create(system=jxj, start=at(10, 5, 10), end=at(10, 5, 20), reason="旧申请",
                                               requested_by=pm)
    decided = MaintenanceWindow.objects.create(system=jxj, start=at(9, 5, 10), end=at(9, 5, 20), reason="旧批准",
                                               requested_by=pm, state="approved", decided_by=unit_admin,
                                               decided_at=at(9, 1), decision_note="同意")
    migration = importlib.import_module("tongyun.availability.migrations.0002_requests_signed_off")
    migration.forward(django_apps, None)
    migration.forward(django_apps, None)  # idempotent
    old = services.request_signoff(decided)
    assert old.is_complete and old.ended_at == at(9, 1)
    step = old.steps.get()
    assert step.decision == "approve" and step.decided_by == unit_admin and step.comment == "同意"
    assert [event.action for event in old.events.all()] == ["start", "approve"]
    pending = services.request_signoff(waiting)
    assert pending.is_open and pending.current_party == "purchaser"
    assert signoff_selectors.signoff_list(pm).filter(subject_id=waiting.pk, flow=services.WINDOW_FLOW).count() == 1
    services.approve_window(unit_admin, waiting)
    waiting.refresh_from_db()
    assert waiting.state == "approved" and services.request_signoff(waiting).is_complete
