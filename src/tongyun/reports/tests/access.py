"""Report pages and endpoints in the cross-unit access walk (core/tests/test_cross_unit_access.py)."""

# the form to create a report by hand answers 403 to anyone but the PM; its system picker is scoped
NOT_SCOPED_PAGES = {"reports:create"}
DETAIL_PAGES = {name: (lambda f: {"pk": f["reports_report"].pk}) for name in (
    "reports:detail", "reports:print", "reports:pdf", "reports:docx", "reports:xlsx", "reports:submit",
    "reports:refresh", "reports:narratives", "reports:correct")}
LIST_PAGES = {"reports:list", "reports:overview"}
# the report types are the tender's, the same for everyone
NOT_SCOPED_API = {"/api/v1/reports/types"}
API_PARAMS = {"report_id": lambda f: f["reports_report"].pk}
POST_BODY = {"type": "om_monthly_system", "period_start": "2026-01-01", "period_end": "2026-01-31",
             "system": lambda f: f["system"].pk, "narratives": {}, "comment": "x", "decision": "approve",
             "reason": "x"}


def foreign_objects(foreign, user_of):
    import datetime as dt

    from tongyun.reports import services, types

    report, _created = services.generate(types.get("om_monthly_system"), start=dt.date(2026, 1, 1),
                                         end=dt.date(2026, 1, 31), system=foreign["system"])
    return {"reports_report": report}
