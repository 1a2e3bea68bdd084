"""Access classification of the audit pages (see tongyun/core/tests/test_cross_unit_access.py)."""

# the people's trail: audit administrator and supervisor only (404 for others), tested in test_trail
LIST_PAGES = {"audit:event_list"}
