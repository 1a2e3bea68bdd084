"""Core pages in the cross-unit access walk (core/tests/test_cross_unit_access.py)."""

# The district overview: the bureau, the supervisor and the PM (403 for the others, a unit included); its
# figures come from each domain's scoped selectors (tested in test_overview).
NOT_SCOPED_PAGES = {"overview"}

# An import job (core/imports.py) is seen through its uploader's unit, as core/scoping.py says.
DETAIL_PAGES = {"import_job": lambda f: {"pk": f["import_job"].pk}}


def foreign_objects(objects, user_of):
    from tongyun.core.models import ImportJob

    uploader = user_of("unit_admin")  # 区经信局
    job = ImportJob.objects.create(kind="catalog.devices", file="imports/foreign.xlsx", filename="foreign.xlsx",
                                   created_by=uploader, unit=uploader.organisation, state="refused",
                                   problems=[{"sheet": "设备台账", "row": 2, "column": "系统ID",
                                              "reason": objects["system"].name}], problem_count=1)
    return {"import_job": job}
