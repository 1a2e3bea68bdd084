"""Inspection pages added after the shared walker (see core/tests/test_cross_unit_access)."""

# POST only (405 to a GET); every task id goes through scoped() in services.assign_tasks and a foreign id
# refuses the whole assignment (tested in test_district_scale)
NOT_SCOPED_PAGES = {"inspections:task_assign"}
