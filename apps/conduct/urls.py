from django.urls import path

from . import views

app_name = "conduct"

urlpatterns = [
    path("", views.rules_current, name="current"),
    path("acknowledge/", views.rules_acknowledge, name="acknowledge"),
    path("publish/", views.rules_publish, name="publish"),
    path("status/", views.acknowledgement_status, name="status"),
]
