"""A JSON null for the field of PATCH /api/v1/spares/items/{id} (the unit price): never a 500 — the price is
nullable, and null means "not priced yet"."""

from tongyun.spares.models import SpareItem


def test_null_unit_price_clears_the_price(camera, client, api_as):
    response = client.patch(f"/api/v1/spares/items/{camera.pk}", {"unit_price": None},
                            content_type="application/json", headers=api_as("bureau_admin"))
    assert response.status_code == 200, response.content
    assert response.json()["unit_price"] is None and SpareItem.objects.get(pk=camera.pk).unit_price is None
