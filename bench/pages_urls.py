"""URLconf for bench/pages.py: the project's URLs plus a bare view that returns "ok"."""

from django.http import HttpResponse
from django.urls import include, path

BARE_PATH = "__bench__/bare/"


def bare_view(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path(BARE_PATH, bare_view, name="bench_bare"), path("", include("mktdept.urls"))]

handler403 = "apps.core.views.permission_denied"
handler404 = "apps.core.views.page_not_found"
handler500 = "apps.core.views.server_error"
