from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.report_list, name="list"),
    path("overview/", views.overview, name="overview"),
    path("new/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/print/", views.printable, name="print"),
    path("<int:pk>/report.pdf", views.download, {"fmt": "pdf"}, name="pdf"),
    path("<int:pk>/report.docx", views.download, {"fmt": "docx"}, name="docx"),
    path("<int:pk>/report.xlsx", views.download, {"fmt": "xlsx"}, name="xlsx"),
    path("<int:pk>/submit/", views.submit, name="submit"),
    path("<int:pk>/refresh/", views.refresh, name="refresh"),
    path("<int:pk>/narratives/", views.narratives, name="narratives"),
    path("<int:pk>/correct/", views.correct, name="correct"),
]
