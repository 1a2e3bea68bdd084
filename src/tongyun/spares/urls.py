from django.urls import path

from . import views

app_name = "spares"
urlpatterns = [
    path("", views.item_list, name="item_list"),
    path("items/<int:pk>/", views.item_detail, name="item_detail"),
    path("items/<int:pk>/entry/", views.item_entry, name="item_entry"),
    path("systems/<int:pk>/", views.system_detail, name="system_detail"),
    path("systems/<int:pk>/substitutions/", views.substitution_create, name="substitution_create"),
    path("systems/<int:pk>/stock-list/", views.stock_list_create, name="stock_list_create"),
    path("replacements/", views.replacement_list, name="replacement_list"),
    path("replacements/<int:pk>/", views.replacement_detail, name="replacement_detail"),
    path("replacements/<int:pk>/issue/", views.replacement_issue, name="replacement_issue"),
    path("incidents/<int:pk>/replacement/", views.replacement_create, name="replacement_create"),
    path("incidents/<int:pk>/vendor/", views.send_to_vendor, name="send_to_vendor"),
    path("photos/<int:pk>/", views.photo, name="photo"),
    path("removed/", views.removed_list, name="removed_list"),
    path("removed/<int:pk>/dispose/", views.removed_dispose, name="removed_dispose"),
    path("repairs/", views.repair_list, name="repair_list"),
    path("export.xlsx", views.export, name="export"),
    path("import/", views.import_items, name="import"),
]
