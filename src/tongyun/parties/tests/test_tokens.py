import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tongyun.parties.choices import OrganisationKind, Role
from tongyun.parties.models import ApiToken, Organisation
from tongyun.parties.services import user_create

pytestmark = pytest.mark.django_db


def _token(client, username, password):
    return client.post("/api/v1/auth/token", {"username": username, "password": password},
                       content_type="application/json")


def test_token_is_issued_for_good_credentials_and_identifies_the_user(client, password):
    response = _token(client, "unit_admin", password)
    assert response.status_code == 200
    body = response.json()
    assert set(body) >= {"token", "expires_at"}
    me = client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {body['token']}"})
    assert me.status_code == 200
    assert me.json()["username"] == "unit_admin"
    assert me.json()["role"] == Role.UNIT_ADMIN
    assert me.json()["organisation"] == "区经信局"
    # only the hash is stored
    assert not ApiToken.objects.filter(key_hash=body["token"]).exists()
    assert ApiToken.objects.filter(key_hash=ApiToken.hash_key(body["token"])).exists()


def test_wrong_password_gets_401_and_no_token(client):
    before = ApiToken.objects.count()
    response = _token(client, "unit_admin", "wrong")
    assert response.status_code == 401
    assert "detail" in response.json()
    assert ApiToken.objects.count() == before


def test_missing_field_is_named(client):
    response = client.post("/api/v1/auth/token", {"username": "unit_admin"}, content_type="application/json")
    assert response.status_code == 422
    assert "password" in response.content.decode()


def test_revoked_token_is_refused(client, password):
    key = _token(client, "pm", password).json()["token"]
    headers = {"Authorization": f"Bearer {key}"}
    assert client.get("/api/v1/systems", headers=headers).status_code == 200
    assert client.delete("/api/v1/auth/token", headers=headers).status_code == 204
    assert client.get("/api/v1/systems", headers=headers).status_code == 401


def test_a_user_can_list_and_revoke_their_other_tokens_but_not_others(client, password):
    first = _token(client, "pm", password).json()["token"]
    second = _token(client, "pm", password).json()["token"]
    other = _token(client, "dispatcher", password).json()["token"]
    headers = {"Authorization": f"Bearer {second}"}
    tokens = client.get("/api/v1/auth/tokens", headers=headers).json()
    assert len(tokens) == 2
    first_id = ApiToken.objects.get(key_hash=ApiToken.hash_key(first)).pk
    other_id = ApiToken.objects.get(key_hash=ApiToken.hash_key(other)).pk
    assert client.delete(f"/api/v1/auth/tokens/{other_id}", headers=headers).status_code == 404
    assert client.delete(f"/api/v1/auth/tokens/{first_id}", headers=headers).status_code == 204
    assert client.get("/api/v1/systems", headers={"Authorization": f"Bearer {first}"}).status_code == 401
    assert client.get("/api/v1/systems", headers={"Authorization": f"Bearer {other}"}).status_code == 200


def test_expired_token_is_refused(client, password):
    key = _token(client, "pm", password).json()["token"]
    ApiToken.objects.filter(key_hash=ApiToken.hash_key(key)).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert client.get("/api/v1/systems", headers={"Authorization": f"Bearer {key}"}).status_code == 401


def test_token_of_a_deactivated_user_is_refused(client, password, user_of):
    key = _token(client, "engineer", password).json()["token"]
    engineer = user_of("engineer")
    engineer.is_active = False
    engineer.save()
    assert client.get("/api/v1/systems", headers={"Authorization": f"Bearer {key}"}).status_code == 401


def test_role_must_match_the_kind_of_organisation():
    unit = Organisation.objects.filter(kind=OrganisationKind.UNIT).first()
    with pytest.raises(ValidationError) as error:
        user_create(username="x", role=Role.PROJECT_MANAGER, organisation=unit, password="long-enough-1")
    assert "organisation" in error.value.message_dict


def test_every_role_has_a_demo_account(user_of):
    from tongyun.parties.models import User

    roles = set(User.objects.values_list("role", flat=True))
    assert roles >= set(Role.values)
    units = Organisation.objects.filter(kind=OrganisationKind.UNIT)
    assert units.count() == User.objects.filter(role=Role.UNIT_ADMIN, username__regex=r"^unit\d\d$").count()
