from django.urls import path

from . import views

app_name = "security"
urlpatterns = [
    path("", views.index, name="index"),
    path("mlps/", views.mlps_list, name="mlps_list"),
    path("programme/", views.programme, name="programme"),
    path("programme/select/", views.programme_select, name="programme_select"),
    path("assessments/<int:pk>/", views.assessment_detail, name="assessment_detail"),
    path("assessments/<int:pk>/report/", views.assessment_report, name="assessment_report"),
    path("findings/", views.finding_list, name="finding_list"),
    path("findings/new/", views.finding_create, name="finding_create"),
    path("findings/export/", views.finding_export, name="finding_export"),
    path("findings/import/", views.finding_import, name="finding_import"),
    path("findings/<int:pk>/", views.finding_detail, name="finding_detail"),
    path("findings/<int:pk>/fix/", views.finding_fix, name="finding_fix"),
    path("findings/<int:pk>/verify/", views.finding_verify, name="finding_verify"),
    path("findings/<int:pk>/evidence/", views.finding_evidence, name="finding_evidence"),
    path("software/", views.software_list, name="software_list"),
    path("software/export/", views.software_export, name="software_export"),
    path("software/import/", views.software_import, name="software_import"),
    path("vulnerabilities/new/", views.vulnerability_create, name="vulnerability_create"),
    path("patches/new/", views.patch_create, name="patch_create"),
    path("items/", views.item_list, name="item_list"),
    path("items/export/", views.item_export, name="item_export"),
    path("items/new/", views.item_create, name="item_create"),
    path("items/import/", views.item_import, name="item_import"),
    path("items/<int:pk>/renew/", views.item_renew, name="item_renew"),
    path("duties/", views.duty_list, name="duty_list"),
    path("duties/new/", views.duty_create, name="duty_create"),
    path("duties/<int:pk>/", views.duty_detail, name="duty_detail"),
    path("occurrences/<int:pk>/complete/", views.occurrence_complete, name="occurrence_complete"),
]
