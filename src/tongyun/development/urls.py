from django.urls import path

from . import views

app_name = "development"
urlpatterns = [
    path("", views.request_list, name="list"),
    path("new/", views.request_create, name="create"),
    path("caps/", views.caps, name="caps"),
    path("<int:pk>/", views.request_detail, name="detail"),
    path("<int:pk>/reply/", views.request_reply, name="reply"),
    path("<int:pk>/deliver/", views.request_deliver, name="deliver"),
    path("<int:pk>/accept/", views.request_accept, name="accept"),
]
