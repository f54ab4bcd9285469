"""Competitors, competitor products, battlecards, our product's page and research plans."""

from django.urls import path

from ..views import market, plans

urlpatterns = [
    path("competitors/", market.competitor_list_view, name="competitor_list"),
    path("competitors/new/", market.competitor_create_view, name="competitor_create"),
    path("competitors/<int:pk>/", market.competitor_detail, name="competitor_detail"),
    path("competitors/<int:pk>/edit/", market.competitor_edit, name="competitor_edit"),
    path("competitors/<int:pk>/archive/", market.competitor_archive_view, name="competitor_archive"),
    path("competitors/<int:pk>/battlecard/", market.battlecard_detail, name="battlecard_detail"),
    path("competitors/<int:pk>/battlecard/edit/", market.battlecard_edit, name="battlecard_edit"),
    path("competitors/<int:pk>/battlecard/review/", market.battlecard_review_view, name="battlecard_review"),
    path("competitors/<int:pk>/battlecard/history/", market.battlecard_history, name="battlecard_history"),
    path("products/new/", market.product_create, name="product_create"),
    path("products/<int:pk>/", market.product_detail, name="product_detail"),
    path("products/<int:pk>/edit/", market.product_edit, name="product_edit"),
    path("our-products/<int:pk>/", market.our_product, name="our_product"),
    path("plans/", plans.plan_list, name="plan_list"),
    path("plans/new/", plans.plan_create, name="plan_create"),
    path("plans/<int:pk>/", plans.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/edit/", plans.plan_edit, name="plan_edit"),
    path("plans/<int:pk>/status/", plans.plan_status, name="plan_status"),
]
