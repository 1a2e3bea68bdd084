"""How the cross-unit access walk (tongyun/core/tests/test_cross_unit_access.py) sees security."""

import datetime as dt

from django.core.files.base import ContentFile
from django.utils import timezone

# Forms whose system pickers are scoped (403 for roles that may not write), tested in test_pages.
NOT_SCOPED_PAGES = {"security:programme_select", "security:finding_create", "security:finding_import",
                    "security:software_import", "security:item_create", "security:item_import",
                    "security:vulnerability_create", "security:patch_create",
                    "security:duty_create"}
DETAIL_PAGES = {
    "security:assessment_detail": lambda f: {"pk": f["security_assessment"].pk},
    "security:assessment_report": lambda f: {"pk": f["security_assessment"].pk},
    "security:finding_detail": lambda f: {"pk": f["security_finding"].pk},
    "security:finding_fix": lambda f: {"pk": f["security_finding"].pk},
    "security:finding_verify": lambda f: {"pk": f["security_finding"].pk},
    "security:finding_evidence": lambda f: {"pk": f["security_finding"].pk},
    "security:item_renew": lambda f: {"pk": f["security_item"].pk},
    "security:duty_detail": lambda f: {"pk": f["security_duty"].pk},
    "security:occurrence_complete": lambda f: {"pk": f["security_occurrence"].pk},
}
LIST_PAGES = {"security:index", "security:mlps_list", "security:programme", "security:finding_list",
              "security:software_list", "security:item_list", "security:duty_list"}
EXCEL_PAGES = {"security:finding_export", "security:software_export", "security:item_export"}
API_PARAMS = {
    "assessment_id": lambda f: f["security_assessment"].pk,
    "finding_id": lambda f: f["security_finding"].pk,
    "item_id": lambda f: f["security_item"].pk,
    "occurrence_id": lambda f: f["security_occurrence"].pk,
}


def foreign_objects(foreign, user_of) -> dict:
    from tongyun.security import duties, inventory, obligations, services
    from tongyun.security.models import Assessment

    system = foreign["system"]
    services.seed_mlps_register()
    assessment = Assessment.objects.create(system=system, year=2026, level=2, selected_by=user_of("bureau_admin"),
                                           report=ContentFile(b"%PDF-1.4", name="foreign-report.pdf"))
    security = user_of("security")
    finding = services.record_finding(security, system, title="FOREIGN-FINDING", severity="high", source="scan",
                                      device=foreign["device"], found_at=timezone.now() - dt.timedelta(hours=1))
    services.fix_finding(security, finding, description="FOREIGN-FIX",
                         evidence=ContentFile(b"%PDF-1.4", name="foreign-fix.pdf"))
    item = obligations.save_item(security, system, kind="certificate", name="FOREIGN-CERT",
                                 expires_on=timezone.localdate() + dt.timedelta(days=10), install_window_days=7)
    duty = duties.create_duty(security, system, category="security", key="foreign-scan", name="FOREIGN-DUTY",
                              cadence="每月", rrule="FREQ=MONTHLY;BYMONTHDAY=1", year=2026)
    software = inventory.save_software(security, system, kind="os", name="FOREIGN-OS", version="1")
    vulnerability = inventory.record_vulnerability(security, system, title="FOREIGN-VULN", severity="high",
                                                   source="scan", found_on=dt.date(2026, 3, 1), software=software)
    inventory.record_patch(security, system, name="FOREIGN-PATCH", software=software, vulnerability=vulnerability)
    return {"security_assessment": assessment, "security_finding": finding, "security_item": item,
            "security_duty": duty, "security_occurrence": duty.occurrences.first()}
