"""Inspection pages added after the shared walker (see core/tests/test_cross_unit_access)."""

# POST only (405 to a GET); every task id goes through scoped() in services.assign_tasks and a foreign id
# refuses the whole assignment (tested in test_district_scale)
NOT_SCOPED_PAGES = {"inspections:task_assign"}

# The old addresses of the monthly inspection reports redirect (301) to the engine's report pages, which
# answer 404 to another unit; the walk follows the redirect for those who may see the report.
MOVED_PAGES = {"inspections:report_detail", "inspections:report_print", "inspections:report_action",
               "inspections:report_docx", "inspections:report_xlsx"}
# GET /api/v1/inspections/reports/{inspection_report_id}: the engine's id of a monthly inspection report
API_PARAMS = {"inspection_report_id": lambda f: f["report"].report_id}
