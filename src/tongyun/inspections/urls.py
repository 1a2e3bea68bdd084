from django.urls import path

from . import views

app_name = "inspections"
urlpatterns = [
    path("", views.month_calendar, name="calendar"),
    path("tasks/", views.task_list, name="task_list"),
    path("tasks/assign/", views.task_assign, name="task_assign"),
    path("overdue/", views.overdue_list, name="overdue"),
    path("tasks/<int:pk>/", views.task_detail, name="task_detail"),
    path("tasks/<int:pk>/items/<int:item_id>/", views.task_item, name="task_item"),
    path("tasks/<int:pk>/items/<int:item_id>/incident/", views.task_item_incident, name="task_item_incident"),
    path("tasks/<int:pk>/complete/", views.task_complete, name="task_complete"),
    path("plans/", views.plan_list, name="plan_list"),
    path("plans/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/edit/", views.plan_edit, name="plan_edit"),
    path("plans/<int:pk>/approve/", views.plan_approve, name="plan_approve"),
    path("stats/", views.stats, name="stats"),
    path("feeds/", views.feed_list, name="feeds"),
    path("feeds/<int:pk>/revoke/", views.feed_revoke, name="feed_revoke"),
    path("feeds/<str:token>.ics", views.feed_ics, name="feed"),
    # the monthly inspection reports moved to the report engine: old addresses redirect (views.report_moved)
    path("reports/", views.report_list, name="report_list"),
    path("reports/<int:pk>/", views.report_moved, name="report_detail"),
    path("reports/<int:pk>/print/", views.report_moved, {"target": "print"}, name="report_print"),
    path("reports/<int:pk>/<str:action>/", views.report_moved, name="report_action"),
    path("reports/<int:pk>.docx", views.report_moved, {"target": "docx"}, name="report_docx"),
    path("reports/<int:pk>.xlsx", views.report_moved, {"target": "xlsx"}, name="report_xlsx"),
]
