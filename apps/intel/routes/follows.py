from django.urls import path

from ..views import follows

urlpatterns = [
    path("alerts/", follows.follow_list_view, name="follow_list"),
    path("alerts/follow/", follows.follow_add_view, name="follow_add"),
    path("alerts/<int:pk>/remove/", follows.follow_remove_view, name="follow_remove"),
]
