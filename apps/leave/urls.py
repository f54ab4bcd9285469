from django.urls import path

from . import views

app_name = "leave"

urlpatterns = [
    path("", views.my_leave, name="mine"),
    path("new/", views.request_create, name="create"),
    path("preview/", views.request_preview, name="preview"),
    path("<int:pk>/", views.request_detail, name="detail"),
    path("<int:pk>/approve/", views.request_approve, name="approve"),
    path("<int:pk>/reject/", views.request_reject, name="reject"),
    path("<int:pk>/withdraw/", views.request_withdraw, name="withdraw"),
    path("<int:pk>/cancel/", views.request_cancel, name="cancel"),
    path("<int:pk>/attachment/", views.request_attachment, name="attachment"),
    path("queue/", views.approval_queue, name="queue"),
    path("queue/approve/", views.queue_batch, name="queue_batch"),
    path("handovers/", views.handovers_view, name="handovers"),
    path("calendar/", views.leave_calendar, name="calendar"),
    path("periods/", views.periods_view, name="periods"),
    path("comp-time/", views.comp_time_view, name="comp_time"),
    path("comp-time/<int:pk>/decide/", views.comp_grant_decide, name="comp_decide"),
    path("acting/", views.acting_view, name="acting"),
]
