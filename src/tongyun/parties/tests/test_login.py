"""Login protection and identification (GB/T 22239 level 3): lockout on the form and the token endpoint,
the second factor for administrators, the idle timeout, the security administrator's policy and unlock."""

import time

import pytest
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tongyun.audit.models import Event
from tongyun.parties.middleware import LAST_SEEN

pytestmark = pytest.mark.django_db
LIMIT = 5


def form_login(client, username, password, address="10.1.1.1"):
    return client.post("/login/", {"username": username, "password": password}, REMOTE_ADDR=address)


def token_login(client, username, password, address="10.1.1.1", **extra):
    return client.post("/api/v1/auth/token", {"username": username, "password": password, **extra},
                       content_type="application/json", REMOTE_ADDR=address)


def test_the_login_form_locks_an_account_after_repeated_failures(client, password, settings):
    statuses = [form_login(client, "unit_staff", "wrong-Password-1", address="10.1.1.1").status_code
                for _attempt in range(LIMIT)]
    assert statuses == [200] * (LIMIT - 1) + [429]  # the limit-th failure locks
    # the right password no longer opens the account, from any address
    locked = form_login(client, "unit_staff", password, address="10.9.9.9")
    assert locked.status_code == 429
    assert "锁定" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    # other accounts are not affected
    assert form_login(Client(), "unit_admin", password, address="10.9.9.8").status_code == 302
    kinds = list(Event.objects.filter(username="unit_staff").values_list("kind", flat=True))
    assert kinds.count("login_failed") >= LIMIT and "locked_out" in kinds


def test_the_token_endpoint_locks_an_account_too(client, password):
    statuses = [token_login(client, "bureau_staff", "wrong-Password-1").status_code for _attempt in range(LIMIT)]
    assert statuses == [401] * (LIMIT - 1) + [429]
    refused = token_login(client, "bureau_staff", password, address="10.7.7.7")
    assert refused.status_code == 429
    assert "锁定" in refused.json()["detail"]


def test_one_address_trying_many_accounts_is_locked_out(client, password):
    for number in range(LIMIT):
        token_login(client, f"no-such-user-{number}", "wrong-Password-1", address="10.6.6.6")
    assert token_login(client, "supervisor", password, address="10.6.6.6").status_code == 429
    assert form_login(Client(), "supervisor", password, address="10.6.6.6").status_code == 429
    # the same account from another address is fine: it was the address that was locked
    assert token_login(client, "supervisor", password, address="10.6.6.7").status_code == 200


def test_the_security_administrator_lifts_a_lockout(client, client_as, password):
    for _attempt in range(LIMIT):
        form_login(client, "dataquality", "wrong-Password-1")
    security = client_as("secadmin")
    page = security.get("/accounts/security/lockouts/")
    assert page.status_code == 200 and "dataquality" in page.content.decode()
    from axes.models import AccessAttempt

    attempt = AccessAttempt.objects.get(username="dataquality")
    assert security.post("/accounts/security/lockouts/", {"attempt": attempt.pk}).status_code == 302
    assert form_login(Client(), "dataquality", password).status_code == 302
    assert Event.objects.filter(kind="unlocked", actor__username="secadmin").exists()


@pytest.mark.parametrize("other", ["bureau_admin", "auditadmin", "sysadmin", "unit01"])
def test_only_the_security_administrator_sets_the_policy_and_lifts_lockouts(other, client_as):
    client = client_as(other)
    assert client.get("/accounts/security/policy/").status_code == 403
    assert client.post("/accounts/security/lockouts/", {"attempt": "1"}).status_code == 403


def code_of(device) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


@pytest.fixture
def enforced(settings):
    settings.TONGYUN_OTP_ENFORCED = True
    # django-otp slows down a device after a wrong code (1 s, doubling); the tests try codes back to back
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


def test_an_administrator_must_set_up_and_use_a_second_factor(enforced, password):
    client = Client()
    assert form_login(client, "bureau_admin", password).status_code == 302
    # nothing opens before the second factor is set up
    assert client.get("/catalog/systems/")["Location"] == "/accounts/me/otp/setup/"
    setup = client.get("/accounts/me/otp/setup/")
    assert setup.status_code == 200 and "<svg" in setup.content.decode()
    device = TOTPDevice.objects.get(user__username="bureau_admin", confirmed=False)
    assert client.post("/accounts/me/otp/setup/", {"code": "000000" if code_of(device) != "000000" else "111111"}
                       ).status_code == 422
    done = client.post("/accounts/me/otp/setup/", {"code": code_of(device)})
    assert done.status_code == 200
    codes = done.context["codes"]
    assert len(codes) == 10
    assert client.get("/catalog/systems/").status_code == 200

    # the next login asks for the code; a wrong one is refused
    again = Client()
    form_login(again, "bureau_admin", password)
    assert again.get("/catalog/systems/")["Location"] == "/accounts/me/otp/"
    assert again.post("/accounts/me/otp/", {"code": "12345"}).status_code == 422
    assert again.get("/catalog/systems/").status_code == 302
    # a recovery code works, once
    assert again.post("/accounts/me/otp/", {"code": codes[0]}).status_code == 302
    assert again.get("/catalog/systems/").status_code == 200
    third = Client()
    form_login(third, "bureau_admin", password)
    assert third.post("/accounts/me/otp/", {"code": codes[0]}).status_code == 422
    assert Event.objects.filter(kind="otp_failed", actor__username="bureau_admin").exists()
    assert Event.objects.filter(kind="otp_verified", actor__username="bureau_admin").exists()


def test_the_token_endpoint_asks_administrators_for_the_code(enforced, client, password, user_of):
    assert token_login(client, "pm", password).status_code == 403  # no device yet: set it up on the web first
    device = TOTPDevice.objects.create(user=user_of("pm"), name="TOTP", confirmed=True)
    assert token_login(client, "pm", password).status_code == 401
    assert token_login(client, "pm", password, otp="000000" if code_of(device) != "000000" else "111111"
                       ).status_code == 401
    assert token_login(client, "pm", password, otp=code_of(device)).status_code == 200
    # staff without a device and without the policy need no code
    assert token_login(client, "engineer", password).status_code == 200


def test_the_policy_can_require_the_second_factor_of_everyone(client, client_as, password, settings):
    settings.TONGYUN_OTP_ENFORCED = True
    assert token_login(client, "engineer", password).status_code == 200
    settings.TONGYUN_OTP_ENFORCED = False  # the security administrator's own code is not what is tested here
    response = client_as("secadmin").post("/accounts/security/policy/", {
        "otp_for_everyone": "on", "password_max_age_days": "90", "session_idle_minutes": "30"})
    assert response.status_code == 302
    settings.TONGYUN_OTP_ENFORCED = True
    assert token_login(client, "engineer", password).status_code == 403


def test_an_idle_session_ends(client_as, settings):
    client = client_as("unit_staff")
    assert client.get("/catalog/systems/").status_code == 200
    session = client.session
    session[LAST_SEEN] = time.time() - 31 * 60
    session.save()
    response = client.get("/catalog/systems/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert client.get("/catalog/systems/").status_code == 302  # logged out, not only redirected once
    assert Event.objects.filter(kind="session_expired", actor__username="unit_staff").exists()


def test_a_session_in_use_stays(client_as):
    client = client_as("unit_staff")
    client.get("/")
    session = client.session
    session[LAST_SEEN] = time.time() - 29 * 60
    session.save()
    assert client.get("/catalog/systems/").status_code == 200


def test_the_user_sees_the_last_login_time_and_address(password):
    first = Client()
    form_login(first, "unit_admin_police", password, address="10.3.3.3")
    second = Client()
    form_login(second, "unit_admin_police", password, address="10.4.4.4")
    page = second.get("/accounts/me/").content.decode()
    assert "10.3.3.3" in page and "10.4.4.4" in page


def test_production_hashes_passwords_with_django_s_strong_default():
    """The suite hashes with MD5 for speed (conftest.py at the repository root); the settings module itself
    must leave Django's PBKDF2 first, so that production never inherits the test's choice."""
    from django.conf import global_settings

    import tongyun.settings as production

    hashers = getattr(production, "PASSWORD_HASHERS", global_settings.PASSWORD_HASHERS)
    assert hashers[0] == "django.contrib.auth.hashers.PBKDF2PasswordHasher"


def test_the_demo_accounts_share_one_hash_that_checks(user_of, password):
    unit_admin, engineer = user_of("unit01"), user_of("engineer")
    assert unit_admin.password == engineer.password
    assert unit_admin.check_password(password) and not unit_admin.check_password(password + "x")
