"""A JSON null for each field of the accounts' PATCH bodies (an account, a unit's contact): never a 500 — the
fields are "only the fields sent change", and a null is a field not sent."""

import pytest

from tongyun.parties.models import Organisation

pytestmark = pytest.mark.django_db


def test_null_in_an_account_patch_keeps_the_value(client, api_as, user_of):
    headers = api_as("bureau_admin")
    account = user_of("unit_staff")
    before = (account.full_name, account.role, account.organisation_id, account.phone, account.email)
    for field in ("full_name", "role", "organisation_id", "phone", "email"):
        response = client.patch(f"/api/v1/accounts/{account.pk}", {field: None}, content_type="application/json",
                                headers=headers)
        assert response.status_code == 200, (field, response.content)
    account.refresh_from_db()
    assert (account.full_name, account.role, account.organisation_id, account.phone, account.email) == before


def test_null_in_a_unit_contact_patch_keeps_the_value(client, api_as):
    headers = api_as("unit_admin_education")
    own = Organisation.objects.get(name="区教委")
    assert client.patch(f"/api/v1/accounts/units/{own.pk}/contact",
                        {"contact_name": "王五", "contact_phone": "010-69440000", "contact_email": "ww@example.cn"},
                        content_type="application/json", headers=headers).status_code == 200
    for field in ("contact_name", "contact_phone", "contact_email"):
        response = client.patch(f"/api/v1/accounts/units/{own.pk}/contact", {field: None},
                                content_type="application/json", headers=headers)
        assert response.status_code == 200, (field, response.content)
    own.refresh_from_db()
    assert (own.contact_name, own.contact_phone, own.contact_email) == ("王五", "010-69440000", "ww@example.cn")
