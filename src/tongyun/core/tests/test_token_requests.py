"""Bearer-token API calls (issue #16): the token is read in one statement and such a call skips the browser's
middleware — and still every change of token, account or role counts on the very next request, a token
call never borrows the session of a cookie it carries, and the audit trail names the token's owner."""

import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.utils import timezone

from tongyun.catalog.models import System
from tongyun.parties.choices import Role
from tongyun.parties.models import ApiToken

pytestmark = pytest.mark.django_db


def _key(headers: dict) -> str:
    return headers["Authorization"].split()[1]


def _systems(client, headers) -> int:
    response = client.get("/api/v1/systems?page_size=500", headers=headers)
    assert response.status_code == 200, response.content
    return len(response.json()["results"])


def test_a_changed_role_counts_on_the_next_request(client, api_as, user_of):
    headers = api_as("pm")
    assert _systems(client, headers) == System.objects.count() > 0
    pm = user_of("pm")
    pm.role = Role.ENGINEER  # field staff see only the systems they are assigned to: none
    pm.save(update_fields=["role"])
    assert _systems(client, headers) == 0
    pm.is_active = False
    pm.save(update_fields=["is_active"])
    assert client.get("/api/v1/systems", headers=headers).status_code == 401


def test_the_token_user_is_the_whole_account(client, api_as, user_of):
    me = client.get("/api/v1/auth/me", headers=api_as("unit_admin")).json()
    account = user_of("unit_admin")
    assert me["username"] == account.username and me["role"] == account.role
    assert me["organisation"] == account.organisation.name  # read on use, not joined


def test_last_used_is_touched_at_most_once_a_minute(client, api_as):
    headers = api_as("dispatcher")
    token = ApiToken.objects.get(key_hash=ApiToken.hash_key(_key(headers)))
    assert token.last_used_at is None
    client.get("/api/v1/systems", headers=headers)
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None
    client.get("/api/v1/systems", headers=headers)
    token.refresh_from_db()
    assert token.last_used_at == first
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - dt.timedelta(minutes=2))
    client.get("/api/v1/systems", headers=headers)
    token.refresh_from_db()
    assert token.last_used_at > first - dt.timedelta(seconds=1)


def test_a_token_call_never_gets_the_session_user(client_as, api_as, client):
    browser = client_as("bureau_admin")  # a session cookie of another account
    assert browser.get("/api/v1/auth/me").json()["username"] == "bureau_admin"  # cookie alone: the session
    pm = api_as("pm")
    assert browser.get("/api/v1/auth/me", headers=pm).json()["username"] == "pm"
    assert browser.get("/api/v1/auth/me", headers={"Authorization": "Bearer not-a-token"}).status_code == 401
    assert browser.get("/api/v1/auth/me", headers={"Authorization": "bearer not-a-token"}).status_code == 401
    ApiToken.objects.filter(key_hash=ApiToken.hash_key(_key(pm))).update(revoked_at=timezone.now())
    assert browser.get("/api/v1/auth/me", headers=pm).status_code == 401
    # and the session still works for the pages (the token call did not end or replace it)
    assert browser.get("/").status_code == 200
    assert browser.get("/api/v1/auth/me").json()["username"] == "bureau_admin"


def test_a_token_call_sets_no_cookie(client, api_as):
    response = client.get("/api/v1/systems", headers=api_as("pm"))
    assert response.status_code == 200
    assert not response.cookies
    assert response["Content-Language"] and response["X-Frame-Options"] == "DENY"


def test_the_audit_trail_names_the_token_owner_even_with_a_session_cookie(client_as, api_as):
    browser = client_as("bureau_admin")
    system = System.objects.get(row_no=7)
    response = browser.post(f"/api/v1/systems/{system.pk}/changes", headers=api_as("pm"),
                            data={"kind": "shutdown", "effective_date": "2026-10-01", "description": "系统下线"},
                            content_type="application/json")
    assert response.status_code == 201, response.content
    entry = LogEntry.objects.get_for_object(system).latest("id")
    assert entry.actor.username == "pm"
