from .routes import follows, market, prices, reports, search

app_name = "intel"

urlpatterns = [
    *reports.urlpatterns,
    *search.urlpatterns,
    *prices.urlpatterns,
    *market.urlpatterns,
    *follows.urlpatterns,
]
