from django.urls import path

from . import views

app_name = "incidents"
urlpatterns = [
    path("", views.incident_list, name="list"),
    path("new/", views.incident_report, name="report"),
    path("new/devices/", views.report_devices, name="report_devices"),
    path("board/", views.board, name="board"),
    path("mine/", views.my_queue, name="mine"),
    path("notifications/", views.notification_list, name="notifications"),
    path("notifications/read/", views.notifications_mark_read, name="notifications_mark_read"),
    path("<int:pk>/", views.incident_detail, name="detail"),
    path("<int:pk>/actions/", views.incident_action, name="action"),
    path("<int:pk>/reclassify/", views.incident_reclassify, name="reclassify"),
    path("<int:pk>/comments/", views.incident_comment, name="comment"),
]
