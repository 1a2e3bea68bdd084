"""Access classification of incident pages added after the shared walker (see core/tests/test_cross_unit_access)."""

# Given-up deliveries: bureau admin and PM only (403 for the others; the list goes through scoped() too),
# tested in test_notifications.
NOT_SCOPED_PAGES = {"incidents:notification_failures"}
# The incident list as a workbook: the list's filters and scope (a unit's export leaves the others out).
EXCEL_PAGES = {"incidents:export"}
# the report form's device search: ≤ 20 devices of the viewer's systems (a foreign system answers 404)
LIST_PAGES = {"incidents:device_search"}
DETAIL_PAGES = {"incidents:attachment": lambda f: {"pk": f["incident_attachment"].pk}}


def foreign_objects(foreign, user_of):
    from django.core.files.base import ContentFile

    from tongyun.incidents.models import IncidentAttachment

    attachment = IncidentAttachment(incident=foreign["incident"], name="foreign.png", size=4, is_image=True,
                                    uploaded_by=user_of("unit_admin"))
    attachment.file.save("foreign.png", ContentFile(b"\x89PNG"), save=False)
    attachment.save()
    return {"incident_attachment": attachment}
