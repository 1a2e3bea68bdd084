from django.urls import path

from . import roster_views, views

app_name = "staffing"
urlpatterns = [
    path("staff/", views.staff_list, name="staff_list"),
    path("staff/export/", views.staff_export, name="staff_export"),
    path("staff/import/", views.staff_import, name="staff_import"),
    path("staff/create/", views.staff_create, name="staff_create"),
    path("staff/<int:pk>/", views.staff_detail, name="staff_detail"),
    path("staff/<int:pk>/posts/", views.staff_post_add, name="staff_post_add"),
    path("staff/<int:pk>/certificates/", views.staff_certificate_add, name="staff_certificate_add"),
    path("posts/", views.post_list, name="posts"),
    path("posts/<int:pk>/", views.post_detail, name="post_detail"),
    path("posts/<int:pk>/assign/", views.post_assign, name="post_assign"),
    path("posts/<int:pk>/change/", views.change_create, name="change_create"),
    path("changes/<int:pk>/", views.change_detail, name="change_detail"),
    path("rosters/", roster_views.roster_list, name="rosters"),
    path("rosters/export/", roster_views.roster_export, name="roster_export"),
    path("rosters/create/", roster_views.roster_create, name="roster_create"),
    path("rosters/<int:pk>/", roster_views.roster_detail, name="roster_detail"),
    path("rosters/<int:pk>/layers/", roster_views.roster_layer_add, name="roster_layer_add"),
    path("rosters/<int:pk>/overrides/", roster_views.roster_override_add, name="roster_override_add"),
    path("rosters/<int:pk>/feeds/", roster_views.roster_feed_create, name="roster_feed_create"),
    path("rosters/<int:pk>/feeds/<int:feed_pk>/revoke/", roster_views.roster_feed_revoke, name="roster_feed_revoke"),
    # no login: the secret link is the key (masked in the logs, core/logredact.py)
    path("feeds/<str:token>.ics", roster_views.roster_feed, name="roster_feed"),
    path("events/", views.event_list, name="events"),
    path("events/<int:pk>/", views.event_detail, name="event_detail"),
    path("events/<int:pk>/<str:action>/", views.event_action, name="event_action"),
    path("safety/", views.safety, name="safety"),
    path("safety/add/", views.safety_add, name="safety_add"),
    path("trainings/", views.training_list, name="trainings"),
    path("trainings/<int:pk>/", views.training_record, name="training_record"),
]
