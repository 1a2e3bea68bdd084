from django.urls import path

from . import views

app_name = "handover"
urlpatterns = [
    path("", views.checklist_list, name="checklist_list"),
    path("open/", views.checklists_open, name="checklists_open"),
    path("<int:pk>/", views.checklist_detail, name="checklist_detail"),
    path("<int:pk>/obstructions/", views.obstruction_create, name="obstruction_create"),
    path("items/<int:pk>/deliver/", views.item_deliver, name="item_deliver"),
]
