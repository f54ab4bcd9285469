from django.urls import path

from . import views

app_name = "attendance"

urlpatterns = [
    path("", views.today_view, name="today"),
    path("check-in/", views.checkin_view, name="checkin"),
    path("month/", views.month_view, name="month"),
    path("notices/", views.notice_list, name="notice_list"),
    path("notices/new/", views.notice_create, name="notice_create"),
    path("notices/<int:pk>/withdraw/", views.notice_withdraw, name="notice_withdraw"),
    path("notices/daily/", views.notices_daily, name="notices_daily"),
    path("notices/<int:pk>/receive/", views.notice_receive, name="notice_receive"),
    path("summary/", views.summary_view, name="summary"),
    path("summary/export.csv", views.summary_export, name="summary_export"),
]
