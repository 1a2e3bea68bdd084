from django.contrib import admin
from django.contrib.auth.views import LogoutView
from django.urls import include, path

from tongyun.api import api
from tongyun.core import import_views
from tongyun.core import views as core_views
from tongyun.parties import views as parties_views

urlpatterns = [
    # first: an API call is matched here without trying the pages' patterns (no other prefix starts with api/)
    path("api/v1/", api.urls),
    path("", core_views.home, name="home"),
    path("overview/", core_views.overview, name="overview"),
    path("imports/<int:pk>/", import_views.import_job, name="import_job"),
    path("login/", parties_views.LoginView.as_view(), name="login"),
    path("logout/", LogoutView.as_view(), name="logout"),
    path("accounts/", include("tongyun.parties.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("catalog/", include("tongyun.catalog.urls")),
    path("incidents/", include("tongyun.incidents.urls")),
    path("inspections/", include("tongyun.inspections.urls")),
    path("audit/", include("tongyun.audit.urls")),
    path("availability/", include("tongyun.availability.urls")),
    path("monitoring/", include("tongyun.monitoring.urls")),
    path("signoffs/", include("tongyun.signoffs.urls")),
    path("spares/", include("tongyun.spares.urls")),
    path("staffing/", include("tongyun.staffing.urls")),
    path("security/", include("tongyun.security.urls")),
    path("contracts/", include("tongyun.contracts.urls")),
    path("utilities/", include("tongyun.utilities.urls")),
    path("handover/", include("tongyun.handover.urls")),
    path("development/", include("tongyun.development.urls")),
    path("dataexchange/", include("tongyun.dataexchange.urls")),
    path("reports/", include("tongyun.reports.urls")),
    path("admin/", admin.site.urls),
]

handler404 = "tongyun.core.errors.page_not_found"
handler500 = "tongyun.core.errors.server_error"
handler400 = "tongyun.core.errors.bad_request"
handler403 = "tongyun.core.errors.permission_denied"
