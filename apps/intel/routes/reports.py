from django.urls import path

from ..views import reports as views

urlpatterns = [
    path("reports/", views.report_list, name="report_list"),
    path("reports/new/", views.report_create, name="report_create"),
    path("reports/export/", views.report_export, name="report_export"),
    path("reports/<int:pk>/", views.report_detail, name="report_detail"),
    path("reports/<int:pk>/edit/", views.report_edit, name="report_edit"),
    path("reports/<int:pk>/level/", views.report_level, name="report_level"),
    path("reports/<int:pk>/archive/", views.report_archive, name="report_archive"),
    path("reports/<int:pk>/attachments/new/", views.attachment_add, name="attachment_add"),
    path("attachments/<int:pk>/download/", views.attachment_download, name="attachment_download"),
    path("policies/", views.policy_list, name="policy_list"),
    path("access-log/", views.access_log, name="access_log"),
]
