import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from tongyun.parties.models import User
from tongyun.parties.security import password_set

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("weak, why", [
    ("Ab1!xyz", "password_too_short"),          # 7 characters
    ("password", "password_too_common"),        # common (and one class)
    ("abcdefgh12", "password_too_simple"),      # two classes
    ("Unit_Staff2026", "password_has_username"),
    ("ffats_tinu-9X", "password_has_username"),  # reversed
    ("12345678", "password_too_simple"),
])
def test_weak_passwords_are_refused(weak, why, user_of, password):
    user = user_of("unit_staff")
    with pytest.raises(ValidationError) as refused:
        password_set(user, weak, forced_change=False)
    assert why in {error.code for error in refused.value.error_list}, refused.value.messages
    assert User.objects.get(pk=user.pk).check_password(password)  # unchanged


def test_the_last_five_passwords_cannot_be_used_again(user_of, password):
    user = user_of("unit_staff")
    used = [f"Shunyi-{n}-Ops" for n in range(5)]
    for new in used:
        password_set(user, new, forced_change=False)
    for old in [password, *used]:
        with pytest.raises(ValidationError, match="最近 5 次"):
            password_set(user, old, forced_change=False)
    password_set(user, "Another-Fresh-9", forced_change=False)
    password_set(user, password, forced_change=False)  # six changes ago: allowed again


def test_changing_ones_own_password_checks_the_old_one_and_the_rules(client_as, password):
    client = client_as("unit_staff")
    wrong = client.post("/accounts/me/password/", {"old_password": "nope", "new_password": "Fresh-Pass-77",
                                                  "new_password2": "Fresh-Pass-77"})
    assert wrong.status_code == 422 and "原密码不正确" in wrong.content.decode()
    weak = client.post("/accounts/me/password/", {"old_password": password, "new_password": "password",
                                                 "new_password2": "password"})
    assert weak.status_code == 422
    done = client.post("/accounts/me/password/", {"old_password": password, "new_password": "Fresh-Pass-77",
                                                 "new_password2": "Fresh-Pass-77"})
    assert done.status_code == 302
    assert client.get("/catalog/systems/").status_code == 200  # still logged in
    assert Client().login(username="unit_staff", password="Fresh-Pass-77")


def test_an_expired_password_must_be_changed(client_as, user_of, settings):
    User.objects.filter(username="unit_staff").update(password_changed_at=timezone.now() - dt.timedelta(days=91))
    client = client_as("unit_staff")
    response = client.get("/catalog/systems/")
    assert response.status_code == 302 and response["Location"] == "/accounts/me/password/"
    User.objects.filter(username="unit_staff").update(password_changed_at=timezone.now() - dt.timedelta(days=89))
    assert client.get("/catalog/systems/").status_code == 200
