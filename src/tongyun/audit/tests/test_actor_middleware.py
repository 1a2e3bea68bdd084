"""The request's person and address on the audit entries of its changes (audit.middleware.AuditActorMiddleware,
django-auditlog's middleware with its receiver connected once)."""

import pytest
from auditlog.context import auditlog_value
from auditlog.models import LogEntry
from django.http import HttpResponse
from django.test import RequestFactory

from tongyun.audit.middleware import AuditActorMiddleware
from tongyun.catalog.models import System

pytestmark = pytest.mark.django_db


def _rename(system: System, name: str) -> HttpResponse:
    system.name = name
    system.save()
    return HttpResponse("ok")


def _entries(system: System):
    return LogEntry.objects.get_for_object(system).order_by("pk")


def test_a_change_in_a_request_carries_its_person_and_address_and_nothing_outlives_it(user_of):
    system = System.objects.order_by("row_no").first()
    original = system.name
    request = RequestFactory().post("/x", REMOTE_ADDR="10.8.0.7", HTTP_X_FORWARDED_PORT="4431")
    request.user = user_of("bureau_admin")
    middleware = AuditActorMiddleware(lambda request: _rename(system, original + "（改）"))
    assert middleware(request).status_code == 200
    entry = _entries(system).last()
    assert (entry.actor, entry.remote_addr, entry.remote_port) == (user_of("bureau_admin"), "10.8.0.7", 4431)

    # after the request: its context is gone, a change outside any request has no person
    with pytest.raises(LookupError):
        auditlog_value.get()
    _rename(system, original)
    later = _entries(system).last()
    assert later.pk != entry.pk and later.actor is None and later.remote_addr is None


def test_two_requests_of_one_thread_each_carry_their_own_person(user_of):
    system = System.objects.order_by("row_no").first()
    for username, address in (("bureau_admin", "10.8.0.1"), ("pm", "10.8.0.2")):
        request = RequestFactory().post("/x", REMOTE_ADDR=address)
        request.user = user_of(username)
        AuditActorMiddleware(lambda request, name=username: _rename(system, f"{system.name[:40]}{name}"))(request)
        entry = _entries(system).last()
        assert (entry.actor.username, entry.remote_addr) == (username, address)
