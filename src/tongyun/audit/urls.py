from django.urls import path

from . import views

app_name = "audit"
urlpatterns = [
    path("", views.entry_list, name="entry_list"),
    path("events/", views.event_list, name="event_list"),
    path("<str:model>/<int:object_id>/", views.object_history, name="object_history"),
]
