"""A JSON null for each field of PATCH /api/v1/monitoring/sources/{id}: never a 500. A null name, switch or
mapping leaves the value as it is (the column cannot be empty); a null default system clears it."""

import pytest

from tongyun.catalog.models import System
from tongyun.monitoring.models import AlertSource

pytestmark = pytest.mark.django_db


def test_null_in_a_source_patch(client, api_as):
    headers = api_as("bureau_admin")
    system = System.objects.filter(unit__name="公安局顺义分局").order_by("row_no").first()
    created = client.post("/api/v1/monitoring/sources", {"name": "P1", "kind": "alertmanager",
                                                         "mapping": {"window_minutes": 5},
                                                         "default_system_id": system.pk},
                          content_type="application/json", headers=headers).json()
    url = f"/api/v1/monitoring/sources/{created['id']}"
    for field in ("name", "enabled", "mapping"):
        response = client.patch(url, {field: None}, content_type="application/json", headers=headers)
        assert response.status_code == 200, (field, response.content)
    source = AlertSource.objects.get(pk=created["id"])
    assert (source.name, source.enabled, source.mapping, source.default_system_id) == (
        "P1", True, {"window_minutes": 5}, system.pk)
    response = client.patch(url, {"default_system_id": None}, content_type="application/json", headers=headers)
    assert response.status_code == 200 and response.json()["default_system_id"] is None
