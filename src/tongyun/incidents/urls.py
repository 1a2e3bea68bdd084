from django.urls import path

from . import compliance_views, queue_views, settings_views, views

app_name = "incidents"
urlpatterns = [
    path("", views.incident_list, name="list"),
    path("export.xlsx", views.incident_export, name="export"),
    path("new/", views.incident_report, name="report"),
    path("new/device-search/", views.device_search, name="device_search"),
    path("attachments/<int:pk>/", views.attachment_file, name="attachment"),
    path("board/", queue_views.board, name="board"),
    path("mine/", queue_views.my_queue, name="mine"),
    path("notifications/", queue_views.notification_list, name="notifications"),
    path("notifications/read/", queue_views.notifications_mark_read, name="notifications_mark_read"),
    path("notifications/failed/", queue_views.notification_failures, name="notification_failures"),
    path("calendar/", settings_views.calendar, name="calendar"),
    path("calendar/import/", settings_views.calendar_import, name="calendar_import"),
    path("calendar/template.xlsx", settings_views.calendar_template, name="calendar_template"),
    path("calendar/corrections/", settings_views.calendar_correction, name="calendar_correction"),
    path("calendar/corrections/remove/", settings_views.calendar_correction_remove, name="calendar_correction_remove"),
    path("calendar/business-hours/", settings_views.business_hours, name="business_hours"),
    path("major-events/", settings_views.major_event_list, name="major_events"),
    path("major-events/new/", settings_views.major_event_edit, name="major_event_create"),
    path("major-events/<int:pk>/", settings_views.major_event_edit, name="major_event_edit"),
    path("major-events/<int:pk>/delete/", settings_views.major_event_delete, name="major_event_delete"),
    path("compliance/", compliance_views.compliance_report, name="compliance"),
    path("compliance.xlsx", compliance_views.compliance_export, name="compliance_export"),
    path("<int:pk>/", views.incident_detail, name="detail"),
    path("<int:pk>/actions/", views.incident_action, name="action"),
    path("<int:pk>/reclassify/", views.incident_reclassify, name="reclassify"),
    path("<int:pk>/comments/", views.incident_comment, name="comment"),
]
