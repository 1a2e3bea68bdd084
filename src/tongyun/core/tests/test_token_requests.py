"""Bearer-token API calls (issue #16): the token is read in one statement and such a call skips the browser's
middleware — and still every change of token, account or role counts on the very next request, a token
call never borrows the session of a cookie it carries, and the audit trail names the token's owner."""

import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.conf import settings
from django.test import override_settings
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


# --- the token calls' own middleware chain gives the answers the whole MIDDLEWARE gives ------------------------

FULL_CHAIN = [name for name in settings.MIDDLEWARE if name != "tongyun.core.middleware.TokenRequestMiddleware"]


def _answers(client, headers, system_id: int, written_id: int) -> list[tuple]:
    """Status, headers in their order and body of token calls of every kind: a list, an object, a 404, a
    422, a 401, an unknown path, a write (201, to `written_id`: each round its own system, so that the reads
    see the same rows), an upload over the limit (413)."""
    bad = {"Authorization": "Bearer not-a-token"}
    calls = [
        client.get("/api/v1/systems?page_size=3", headers=headers),
        client.get(f"/api/v1/systems/{system_id}", headers=headers),
        client.get("/api/v1/systems/999999999", headers=headers),
        client.get("/api/v1/systems?page_size=0", headers=headers),
        client.get("/api/v1/systems", headers=bad),
        client.get("/api/v1/no-such-endpoint", headers=headers),
        client.post(f"/api/v1/systems/{written_id}/changes", headers=headers, content_type="application/json",
                    data={"kind": "shutdown", "effective_date": "2026-10-01", "description": "系统下线"}),
        client.post(f"/api/v1/systems/{system_id}/changes", headers=headers, content_type="application/json",
                    data="x" * (settings.TONGYUN_UPLOAD_MAX_BYTES + 1)),
    ]
    # the write's body names its new row and its system: compared by status and headers only
    return [(response.status_code, list(response.items()), response.content if index != 6 else b"")
            for index, response in enumerate(calls)]


def test_a_token_call_answers_as_through_the_whole_middleware(api_as):
    from django.test import Client

    system, written, written_too = System.objects.filter(row_no__in=(7, 8, 9)).order_by("row_no")
    headers = api_as("pm")
    short = _answers(Client(), headers, system.pk, written.pk)
    with override_settings(MIDDLEWARE=FULL_CHAIN):
        whole = _answers(Client(), headers, system.pk, written_too.pk)
    assert [status for status, _headers, _body in short] == [200, 200, 404, 422, 401, 404, 201, 413]
    assert short == whole
    listed = dict(short[0][1])
    assert listed["Content-Security-Policy"] and listed["X-Content-Type-Options"] == "nosniff"
    assert listed["Vary"] == "Cookie" and listed["Content-Length"] == str(len(short[0][2]))


def test_the_token_chain_keeps_the_order_of_middleware():
    positions = [settings.MIDDLEWARE.index(name) for name in settings.TONGYUN_TOKEN_REQUEST_MIDDLEWARE]
    assert positions == sorted(positions)
    assert settings.MIDDLEWARE[0] == "tongyun.core.middleware.TokenRequestMiddleware"

