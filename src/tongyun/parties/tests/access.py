"""Access classification of the account pages (see tongyun/core/tests/test_cross_unit_access.py).

An account or a unit's contact out of the viewer's reach answers 404, like another unit's system; these
pages are tested in tongyun/parties/tests/test_accounts.py (another unit's account, the audit administrator),
not in the core walk, whose "those who may see" half does not apply: the supervisor, who sees every system,
manages no account.
"""

NOT_SCOPED_PAGES = {
    # one's own account
    "accounts:profile", "accounts:password_change", "accounts:otp_verify", "accounts:otp_setup",
    "accounts:recovery_codes",
    # account managers only (403 for others); what they reach is tested in test_accounts
    "accounts:account_create", "accounts:account_import", "accounts:account_template", "accounts:account_export",
    "accounts:account_detail", "accounts:account_edit", "accounts:account_active",
    "accounts:account_reset_password", "accounts:account_remove_otp", "accounts:unit_contact",
    # the security administrator's pages (403 for others), tested in test_login
    "accounts:policy", "accounts:lockouts",
}
LIST_PAGES = {"accounts:account_list", "accounts:unit_contacts"}
# The account administration API has the pages' reach and is tested the same way, in
# tongyun/parties/tests/test_accounts_api.py (each role's reach, another unit's account 404, bad bodies 422):
# the supervisor, who sees every system, manages no account, so the walk's "those who may see" half does
# not apply. The list of units' contacts names the viewer's units only (checked in the same test file).
NOT_SCOPED_API = {
    "/api/v1/accounts", "/api/v1/accounts/{account_id}", "/api/v1/accounts/{account_id}/disable",
    "/api/v1/accounts/{account_id}/enable", "/api/v1/accounts/{account_id}/password",
    "/api/v1/accounts/units", "/api/v1/accounts/units/{unit_id}/contact",
}
