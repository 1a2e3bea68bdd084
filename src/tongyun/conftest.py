"""Shared fixtures: every test database holds the real Shunyi 2026 catalog and the demo accounts,
loaded once per session; each test runs in a transaction that is rolled back."""

import pytest
from django.test import Client

from tongyun.catalog.models import System
from tongyun.catalog.tender_data import load_tender_catalog
from tongyun.core.demo import demo_password, ensure_demo_accounts
from tongyun.parties.models import User


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        load_tender_catalog()
        ensure_demo_accounts()


@pytest.fixture(autouse=True)
def _second_factor_not_enforced(settings):
    """The suite logs the demo administrators in with client.login() and tokens without a TOTP code; the
    second factor itself is tested with the requirement switched on (tongyun/parties/tests/test_login.py)."""
    settings.TONGYUN_OTP_ENFORCED = False


@pytest.fixture
def password():
    return demo_password()


@pytest.fixture
def user_of(db):
    """The demo account with this username."""
    return lambda username: User.objects.select_related("organisation").get(username=username)


@pytest.fixture
def client_as(db, password):
    """A browser-like client logged in as a demo account."""

    def make(username: str) -> Client:
        client = Client()
        assert client.login(username=username, password=password), username
        return client

    return make


@pytest.fixture
def api_as(db, client, password):
    """Headers carrying a fresh bearer token of a demo account."""

    def make(username: str) -> dict:
        response = client.post("/api/v1/auth/token", {"username": username, "password": password},
                               content_type="application/json")
        assert response.status_code == 200, response.content
        return {"Authorization": f"Bearer {response.json()['token']}"}

    return make


@pytest.fixture
def system_of(db):
    """The first system (by tender row) of a user unit."""
    return lambda unit_name: System.objects.filter(unit__name=unit_name).order_by("row_no").first()
