"""Access classification of incident pages added after the shared walker (see core/tests/test_cross_unit_access)."""

# Given-up deliveries: bureau admin and PM only (403 for the others; the list goes through scoped() too),
# tested in test_notifications.
NOT_SCOPED_PAGES = {"incidents:notification_failures"}
# The incident list as a workbook: the list's filters and scope (a unit's export leaves the others out).
EXCEL_PAGES = {"incidents:export"}
