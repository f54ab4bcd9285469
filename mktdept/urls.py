from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.urls import include, path
from django.utils.translation import gettext_lazy as _


@login_not_required
def healthz(request):
    return HttpResponse("ok", content_type="text/plain")


admin.site.site_header = _("Marketing Department administration")
admin.site.site_title = _("mktdept admin")
admin.site.index_title = _("Setup")

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("apps.accounts.urls")),
    path("notifications/", include("apps.notifications.urls")),
    path("rules/", include("apps.conduct.urls")),
    path("attendance/", include("apps.attendance.urls")),
    path("leave/", include("apps.leave.urls")),
    path("reports/", include("apps.reports.urls")),
    path("intel/", include("apps.intel.urls")),
    path("healthz/", healthz, name="healthz"),
    path("", include("apps.org.urls")),
]

handler403 = "apps.core.views.permission_denied"
handler404 = "apps.core.views.page_not_found"
handler500 = "apps.core.views.server_error"
