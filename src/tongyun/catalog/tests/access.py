"""Access classification of the catalog's device-inventory pages and endpoints (see
core/tests/test_cross_unit_access.py)."""

# the import form: 403 for roles that may not import; every row's system is checked against the
# importer's scope (another unit's system → problem "不存在或无权修改"), tested in test_device_import
NOT_SCOPED_PAGES = {"catalog:device_import"}
EXCEL_PAGES = {"catalog:device_export"}
NOT_SCOPED_API = {
    # bodies name the devices by code and their systems by id; each is checked against the caller's
    # scope (another unit's system or device → 422 naming the item, nothing changed); tested in
    # test_device_import
    "/api/v1/devices/import", "/api/v1/devices/upsert", "/api/v1/devices/topology",
}
