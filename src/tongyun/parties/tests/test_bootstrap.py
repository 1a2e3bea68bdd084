import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from tongyun.core.demo import ensure_production_admin
from tongyun.parties.choices import Role
from tongyun.parties.models import User

pytestmark = pytest.mark.django_db


def test_production_requires_an_admin_password(monkeypatch):
    monkeypatch.delenv("TONGYUN_ADMIN_PASSWORD", raising=False)
    with pytest.raises(CommandError, match="password"):
        call_command("bootstrap", "--production", "--admin-password", "")


def test_production_admin_is_a_system_administrator_with_a_strong_password():
    with pytest.raises(ValidationError):
        ensure_production_admin("root_admin", "password")
    assert ensure_production_admin("root_admin", "Prod-Admin-Pass-1")
    admin = User.objects.get(username="root_admin")
    assert admin.role == Role.SYSTEM_ADMIN and admin.check_password("Prod-Admin-Pass-1")
    assert not ensure_production_admin("root_admin", "Another-Pass-2")
