from django.urls import path

from . import views

app_name = "dataexchange"
urlpatterns = [
    path("", views.resource_list, name="list"),
    path("export/", views.resource_export, name="export"),
    path("<int:pk>/", views.resource_detail, name="detail"),
    path("<int:pk>/advance/", views.resource_advance, name="advance"),
    path("<int:pk>/pushes/", views.resource_pushes, name="pushes"),
]
