from django.urls import path

from . import views

app_name = "contracts"
urlpatterns = [
    path("", views.evaluation_list, name="evaluation_list"),
    path("contract/", views.contract_page, name="contract"),
    path("contract/save/", views.contract_save, name="contract_save"),
    path("contract/payments/<int:instalment>/", views.payment_action, name="payment_action"),
    path("fees/", views.fee_list, name="fee_list"),
    path("fees/export/", views.fee_export, name="fee_export"),
    path("fees/import/", views.fee_import, name="fee_import"),
    path("adjustments/", views.adjustment_list, name="adjustment_list"),
    path("adjustments/sync/", views.adjustment_sync, name="adjustment_sync"),
    path("adjustments/<int:pk>/", views.adjustment_edit, name="adjustment_edit"),
    path("memoranda/", views.memorandum_list, name="memorandum_list"),
    path("memoranda/system/<int:pk>/propose/", views.memorandum_propose, name="memorandum_propose"),
    path("memoranda/<int:pk>/", views.memorandum_detail, name="memorandum_detail"),
    path("memoranda/<int:pk>/<str:action>/", views.memorandum_action, name="memorandum_action"),
    path("evaluations/new/", views.evaluation_create, name="evaluation_create"),
    path("evaluations/<int:pk>/", views.evaluation_detail, name="evaluation_detail"),
    path("evaluations/<int:pk>/<str:action>/", views.evaluation_action, name="evaluation_action"),
    path("items/<int:pk>/<str:action>/", views.item_action, name="item_action"),
    path("objections/<int:pk>/<str:action>/", views.objection_action, name="objection_action"),
    path("penalties/", views.penalty_list, name="penalty_list"),
    path("penalties/new/", views.penalty_create, name="penalty_create"),
    path("penalties/<int:pk>/", views.penalty_detail, name="penalty_detail"),
    path("settlement/", views.settlement, name="settlement"),
    path("settlement/print/", views.settlement_print, name="settlement_print"),
    path("settlement/export/", views.settlement_export, name="settlement_export"),
]
