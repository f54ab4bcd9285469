from django.urls import path

from ..views import prices

urlpatterns = [
    path("prices/", prices.price_list, name="price_list"),
    path("prices/new/", prices.price_create, name="price_create"),
    path("prices/<int:pk>/archive/", prices.price_archive, name="price_archive"),
    path("prices/export/", prices.price_export, name="price_export"),
    path("prices/import/", prices.price_import, name="price_import"),
    path("prices/import/template/", prices.price_import_template, name="price_import_template"),
    path("prices/compare/", prices.price_compare, name="price_compare"),
    path("products/<int:pk>/prices.json", prices.product_price_chart, name="product_price_chart"),
]
