from django.urls import path

from . import views

app_name = "signoffs"
urlpatterns = [
    path("", views.awaiting_list, name="awaiting"),
    path("all/", views.signoff_list, name="list"),
    path("<int:pk>/", views.signoff_detail, name="detail"),
    path("<int:pk>/decide/", views.decide, name="decide"),
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
]
