from django.urls import path

from . import views

app_name = "catalog"
urlpatterns = [
    path("systems/", views.system_list, name="system_list"),
    path("systems/<int:pk>/", views.system_detail, name="system_detail"),
    path("systems/<int:pk>/changes/", views.system_change_create, name="system_change_create"),
    path("systems/<int:pk>/assignments/", views.system_assign, name="system_assign"),
    path("systems/<int:pk>/assignments/<int:assignment_id>/delete/", views.system_unassign, name="system_unassign"),
    path("units/", views.unit_list, name="unit_list"),
    path("units/<int:pk>/", views.unit_detail, name="unit_detail"),
    path("devices/", views.device_list, name="device_list"),
    path("devices/<int:pk>/", views.device_detail, name="device_detail"),
    path("devices/export.xlsx", views.device_export, name="device_export"),
    path("devices/import/", views.device_import_page, name="device_import"),
    path("export.xlsx", views.catalog_export, name="export"),
    path("import/", views.catalog_import, name="import"),
]
