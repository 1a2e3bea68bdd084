from django.urls import path

from . import views

app_name = "utilities"
urlpatterns = [
    path("bills/", views.bills, name="bills"),
    path("bills/export/", views.bills_export, name="bills_export"),
    path("bills/template/", views.bills_template, name="bills_template"),
    path("bills/import/", views.bills_import, name="bills_import"),
    path("bills/<int:pk>/", views.bill_detail, name="bill_detail"),
    path("supply-points/", views.supply_points, name="supply_points"),
    path("links/", views.links, name="links"),
    path("links/export/", views.links_export, name="links_export"),
]
