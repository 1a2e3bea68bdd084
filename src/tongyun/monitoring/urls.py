from django.urls import path

from . import status_views, views

app_name = "monitoring"
urlpatterns = [
    # live status, 大屏 and built-in checks (status_views)
    path("status/", status_views.status_index, name="status_index"),
    path("systems/<int:pk>/status/", status_views.system_status, name="system_status"),
    path("systems/<int:pk>/checks/bulk/", status_views.check_bulk, name="check_bulk"),
    path("wall/", status_views.wall, name="wall"),
    path("wall/data/", status_views.wall_data, name="wall_data"),
    path("checks/", status_views.check_list, name="checks"),
    path("checks/<int:pk>/", status_views.check_detail, name="check_detail"),
    path("checks/<int:pk>/toggle/", status_views.check_toggle, name="check_toggle"),
    # alert intake: sources (bureau admin), events and correlation groups (views)
    path("sources/", views.source_list, name="sources"),
    path("sources/new/", views.source_create, name="source_create"),
    path("sources/<int:pk>/", views.source_edit, name="source_edit"),
    path("sources/<int:pk>/token/", views.source_token, name="source_token"),
    path("events/", views.event_list, name="events"),
    path("groups/", views.group_list, name="groups"),
    path("groups/<int:pk>/", views.group_detail, name="group_detail"),
]
