from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("me/", views.profile, name="profile"),
    path("me/password/", views.password_change, name="password_change"),
    path("me/otp/", views.otp_verify, name="otp_verify"),
    path("me/otp/setup/", views.otp_setup, name="otp_setup"),
    path("me/otp/recovery-codes/", views.recovery_codes, name="recovery_codes"),
    path("", views.account_list, name="account_list"),
    path("new/", views.account_create, name="account_create"),
    path("export/", views.account_export, name="account_export"),
    path("import/", views.account_import, name="account_import"),
    path("import/template/", views.account_template, name="account_template"),
    path("<int:pk>/", views.account_detail, name="account_detail"),
    path("<int:pk>/edit/", views.account_edit, name="account_edit"),
    path("<int:pk>/active/", views.account_active, name="account_active"),
    path("<int:pk>/password/", views.account_reset_password, name="account_reset_password"),
    path("<int:pk>/otp/remove/", views.account_remove_otp, name="account_remove_otp"),
    path("units/", views.unit_contacts, name="unit_contacts"),
    path("units/<int:pk>/contact/", views.unit_contact, name="unit_contact"),
    path("security/policy/", views.policy_edit, name="policy"),
    path("security/lockouts/", views.lockouts, name="lockouts"),
]
