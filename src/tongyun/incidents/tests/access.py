"""Access classification of incident pages added after the shared walker (see core/tests/test_cross_unit_access)."""

# Given-up deliveries: bureau admin and PM only (403 for the others; the list goes through scoped() too),
# tested in test_notifications.
NOT_SCOPED_PAGES = {"incidents:notification_failures"}
