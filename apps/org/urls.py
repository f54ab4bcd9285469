from django.urls import path

from . import views

app_name = "org"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("position/", views.my_position, name="my_position"),
    path("department/", views.department_detail, name="department"),
    path("tasks/", views.task_list, name="task_list"),
    path("tasks/new/", views.task_create, name="task_create"),
    path("tasks/<int:pk>/", views.task_detail, name="task_detail"),
    path("tasks/<int:pk>/status/", views.task_change_status_view, name="task_status"),
    path("products/", views.product_list_view, name="product_list"),
]
