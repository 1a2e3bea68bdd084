from django.urls import path

from . import views

app_name = "availability"
urlpatterns = [
    path("", views.monthly, name="monthly"),
    path("export/", views.export, name="export"),
    path("systems/<int:pk>/", views.system_devices, name="system_devices"),
    path("windows/", views.windows, name="windows"),
    path("windows/new/", views.window_create, name="window_create"),
    path("windows/<int:pk>/approve/", views.window_approve, name="window_approve"),
    path("windows/<int:pk>/reject/", views.window_reject, name="window_reject"),
    path("accepted/", views.accepted, name="accepted"),
    path("accepted/new/", views.accepted_create, name="accepted_create"),
    path("accepted/<int:pk>/approve/", views.accepted_approve, name="accepted_approve"),
    path("accepted/<int:pk>/reject/", views.accepted_reject, name="accepted_reject"),
    path("accepted/<int:pk>/evidence/", views.evidence, name="evidence"),
    path("outages/new/", views.outage_create, name="outage_create"),
]
