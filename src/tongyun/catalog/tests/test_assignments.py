"""Field staff see what they are assigned to; the PM and dispatcher assign, others may not."""

import pytest

from tongyun.catalog.models import Assignment, System

pytestmark = pytest.mark.django_db


def test_assignment_opens_a_system_to_field_staff_and_removal_closes_it(client, api_as):
    system = System.objects.get(row_no=154)
    engineer = api_as("engineer")
    assert client.get(f"/api/v1/systems/{system.pk}", headers=engineer).status_code == 404
    response = client.post(f"/api/v1/systems/{system.pk}/assignments", {"username": "engineer"},
                           content_type="application/json", headers=api_as("dispatcher"))
    assert response.status_code == 201, response.content
    assert client.get(f"/api/v1/systems/{system.pk}", headers=engineer).status_code == 200
    assignment_id = response.json()["id"]
    response = client.delete(f"/api/v1/systems/{system.pk}/assignments/{assignment_id}", headers=api_as("pm"))
    assert response.status_code == 204
    assert client.get(f"/api/v1/systems/{system.pk}", headers=engineer).status_code == 404


@pytest.mark.parametrize("username", ["unit01", "engineer", "supervisor"])
def test_only_contractor_management_and_bureau_admin_assign(client, api_as, user_of, username):
    # a system each of them can see, so the refusal is about the capability, not about scope
    system = user_of("engineer").assignments.first().system
    assert system.unit.name == "区经信局"
    response = client.post(f"/api/v1/systems/{system.pk}/assignments", {"username": "electrician"},
                           content_type="application/json", headers=api_as(username))
    assert response.status_code == 403
    assert not Assignment.objects.filter(system=system, user__username="electrician").exists()


def test_only_field_roles_can_be_assigned(client, api_as):
    system = System.objects.get(row_no=2)
    response = client.post(f"/api/v1/systems/{system.pk}/assignments", {"username": "security"},
                           content_type="application/json", headers=api_as("pm"))
    assert response.status_code == 422
    assert "user" in response.json()["errors"]


def test_assign_from_the_system_page(client_as, user_of):
    system = System.objects.get(row_no=100)
    client = client_as("pm")
    page = client.get(f"/catalog/systems/{system.pk}/").content.decode()
    assert "分派人员" in page
    response = client.post(f"/catalog/systems/{system.pk}/assignments/", {"staff": user_of("onsite").pk})
    assert response.status_code == 302
    assignment = Assignment.objects.get(system=system, user__username="onsite")
    assert "驻场人员" in client.get(f"/catalog/systems/{system.pk}/").content.decode()
    client.post(f"/catalog/systems/{system.pk}/assignments/{assignment.pk}/delete/")
    assert not Assignment.objects.filter(pk=assignment.pk).exists()
    assert "分派人员" not in client_as("unit01").get(
        f"/catalog/systems/{System.objects.get(row_no=1).pk}/").content.decode()
