"""The account administration API (/api/v1/accounts/…): the reach of the /accounts/ pages (bureau admin all
accounts, unit admin its unit's, PM the contractor's), 404 out of reach, 422 for bad bodies naming the
field, and the audit trail of every change."""

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType

from tongyun.audit.models import Event
from tongyun.parties.choices import OrganisationKind
from tongyun.parties.models import Organisation, User

pytestmark = pytest.mark.django_db
INITIAL = "Start-Pass-2026"


def unit(name):
    return Organisation.objects.get(name=name)


def listed(client, headers, query=""):
    response = client.get(f"/api/v1/accounts?page_size=500{query}", headers=headers)
    assert response.status_code == 200, response.content
    return {item["username"]: item for item in response.json()["results"]}


def changes_of(account):
    return LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(User), object_pk=str(account.pk))


def test_each_role_reaches_its_accounts(client, api_as):
    everyone = listed(client, api_as("bureau_admin"))
    assert len(everyone) == User.objects.count()
    education = listed(client, api_as("unit_admin_education"))
    assert education and set(education) == set(
        User.objects.filter(organisation__name="区教委").values_list("username", flat=True))
    assert {item["unit_id"] for item in education.values()} == {unit("区教委").pk}
    contractor = listed(client, api_as("pm"))
    assert "engineer" in contractor and "unit_admin" not in contractor and "bureau_admin" not in contractor
    assert all(item["unit_id"] is None for item in contractor.values())
    # filters of the pages
    assert set(listed(client, api_as("bureau_admin"), "&role=unit_admin")) == set(
        User.objects.filter(role="unit_admin").values_list("username", flat=True))


@pytest.mark.parametrize("viewer", ["engineer", "supervisor", "auditadmin"])
def test_who_manages_no_account_gets_nothing(client, api_as, viewer, user_of):
    headers = api_as(viewer)
    assert client.get("/api/v1/accounts", headers=headers).status_code == 404
    assert client.get(f"/api/v1/accounts/{user_of('unit_staff').pk}", headers=headers).status_code == 404
    response = client.post("/api/v1/accounts", {"username": "x1", "role": "unit_staff", "password": INITIAL,
                                                "organisation_id": unit("区教委").pk},
                           content_type="application/json", headers=headers)
    assert response.status_code == 403 and not User.objects.filter(username="x1").exists()


def test_a_unit_admin_creates_an_account_of_its_unit_only(client, api_as, user_of):
    headers = api_as("unit_admin_education")
    body = {"username": "edu_clerk", "role": "unit_staff", "organisation_id": unit("区教委").pk,
            "password": INITIAL, "full_name": "李四", "email": "li@example.cn"}
    response = client.post("/api/v1/accounts", body, content_type="application/json", headers=headers)
    assert response.status_code == 201, response.content
    account = User.objects.get(username="edu_clerk")
    assert response.json()["id"] == account.pk and account.must_change_password
    assert account.organisation.name == "区教委" and account.check_password(INITIAL)
    entry = changes_of(account).get(action=LogEntry.Action.CREATE)
    assert entry.actor == user_of("unit_admin_education")  # the token's owner, not "nobody"
    # another unit: refused, naming the field, nothing created
    response = client.post("/api/v1/accounts", {**body, "username": "edu_spy", "organisation_id": unit("区经信局").pk},
                           content_type="application/json", headers=headers)
    assert response.status_code == 422 and "organisation_id" in response.json()["errors"]
    assert not User.objects.filter(username="edu_spy").exists()


def test_a_unit_admin_cannot_touch_another_units_account(client, api_as, user_of):
    headers = api_as("unit_admin_education")
    foreign = user_of("unit_staff")  # 区经信局
    before = changes_of(foreign).count()
    base = f"/api/v1/accounts/{foreign.pk}"
    assert client.get(base, headers=headers).status_code == 404
    assert client.patch(base, {"full_name": "改名"}, content_type="application/json",
                        headers=headers).status_code == 404
    assert client.post(f"{base}/disable", headers=headers).status_code == 404
    assert client.post(f"{base}/enable", headers=headers).status_code == 404
    assert client.post(f"{base}/password", {"password": "Other-Pass-2026"}, content_type="application/json",
                       headers=headers).status_code == 404
    foreign.refresh_from_db()
    assert foreign.is_active and foreign.full_name != "改名" and not foreign.check_password("Other-Pass-2026")
    assert changes_of(foreign).count() == before
    assert client.get(base, headers=headers).json()["detail"]  # a JSON 404


def test_disable_stops_the_accounts_tokens_and_enable_restores_the_login(client, api_as, user_of, password):
    staff_headers = api_as("unit_staff")
    headers = api_as("unit_admin")
    account = user_of("unit_staff")
    response = client.post(f"/api/v1/accounts/{account.pk}/disable", headers=headers)
    assert response.status_code == 200 and response.json()["is_active"] is False
    assert client.get("/api/v1/auth/me", headers=staff_headers).status_code == 401
    entry = changes_of(account).filter(action=LogEntry.Action.UPDATE).latest("timestamp")
    assert "is_active" in entry.changes_dict and entry.actor == user_of("unit_admin")
    assert client.post(f"/api/v1/accounts/{account.pk}/enable", headers=headers).json()["is_active"] is True
    assert client.post("/api/v1/auth/token", {"username": "unit_staff", "password": password},
                       content_type="application/json").status_code == 200
    # one's own account cannot be disabled
    own = user_of("unit_admin")
    response = client.post(f"/api/v1/accounts/{own.pk}/disable", headers=headers)
    assert response.status_code == 422 and "is_active" in response.json()["errors"]


def test_a_reset_password_must_be_changed_and_is_in_the_audit_trail(client, api_as, user_of):
    headers = api_as("pm")
    account = user_of("engineer")
    url = f"/api/v1/accounts/{account.pk}/password"
    response = client.post(url, {"password": "password"}, content_type="application/json", headers=headers)
    assert response.status_code == 422 and "password" in response.json()["errors"]
    account.refresh_from_db()
    assert not account.must_change_password
    assert client.post(url, {"password": "Reset-Pass-2026"}, content_type="application/json",
                       headers=headers).status_code == 204
    account.refresh_from_db()
    assert account.must_change_password and account.check_password("Reset-Pass-2026")
    assert Event.objects.filter(kind="password_reset", actor__username="pm", object_repr="engineer").exists()


def test_edit_keeps_role_and_organisation_within_reach(client, api_as, user_of):
    headers = api_as("unit_admin_education")
    account = user_of("unit_admin_education")
    url = f"/api/v1/accounts/{account.pk}"
    response = client.patch(url, {"phone": "13800000000"}, content_type="application/json", headers=headers)
    assert response.status_code == 200 and response.json()["phone"] == "13800000000"
    response = client.patch(url, {"role": "bureau_admin"}, content_type="application/json", headers=headers)
    assert response.status_code == 422 and "role" in response.json()["errors"]
    account.refresh_from_db()
    assert account.role == "unit_admin"


@pytest.mark.parametrize("body, field", [
    ({"username": "z", "role": "unit_staff", "organisation_id": 1, "password": INITIAL, "is_superuser": True},
     "is_superuser"),
    ({"username": "z", "role": "unit_staff", "organisation_id": 2**63, "password": INITIAL}, "organisation_id"),
    ({"username": "z", "role": "king", "organisation_id": 1, "password": INITIAL}, "role"),
    ({"username": "z\x00", "role": "unit_staff", "organisation_id": 1, "password": INITIAL}, "username"),
    ({"username": "z", "role": "unit_staff", "organisation_id": 1}, "password"),
])
def test_bad_bodies_are_422_naming_the_field(client, api_as, body, field):
    response = client.post("/api/v1/accounts", body, content_type="application/json",
                           headers=api_as("bureau_admin"))
    assert response.status_code == 422
    assert field in response.content.decode()
    assert not User.objects.filter(username__startswith="z").exists()


def test_bounded_ids_in_the_path(client, api_as):
    assert client.get(f"/api/v1/accounts/{2**63}", headers=api_as("bureau_admin")).status_code == 422


def test_unit_contact_by_the_units_admin(client, api_as):
    headers = api_as("unit_admin_education")
    units = client.get("/api/v1/accounts/units", headers=headers).json()
    assert [item["name"] for item in units] == ["区教委"]
    own, foreign = unit("区教委"), unit("区经信局")
    response = client.patch(f"/api/v1/accounts/units/{own.pk}/contact",
                            {"contact_name": "王五", "contact_phone": "010-69440000"},
                            content_type="application/json", headers=headers)
    assert response.status_code == 200 and response.json()["contact_name"] == "王五"
    own.refresh_from_db()
    assert (own.contact_name, own.contact_phone) == ("王五", "010-69440000")
    response = client.patch(f"/api/v1/accounts/units/{own.pk}/contact", {"contact_email": "not-an-address"},
                            content_type="application/json", headers=headers)
    assert response.status_code == 422 and "contact_email" in response.json()["errors"]
    response = client.patch(f"/api/v1/accounts/units/{foreign.pk}/contact", {"contact_name": "间谍"},
                            content_type="application/json", headers=headers)
    assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.contact_name != "间谍"
    bureau_units = client.get("/api/v1/accounts/units", headers=api_as("bureau_admin")).json()
    assert len(bureau_units) == Organisation.objects.count()
    assert client.get("/api/v1/accounts/units", headers=api_as("pm")).status_code == 404
    assert Organisation.objects.filter(kind=OrganisationKind.UNIT).count() > 1
