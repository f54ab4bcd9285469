from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = [
        "username",
        "full_name",
        "employee_no",
        "department",
        "position",
        "clearance",
        "is_active",
        "is_staff",
    ]
    list_filter = [
        "is_active",
        "is_staff",
        "is_superuser",
        "attendance_exempt",
        "department",
        "position",
        "clearance",
        "groups",
    ]
    list_select_related = ["department", "position"]
    search_fields = ["username", "full_name", "employee_no", "email", "phone"]
    ordering = ["username"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (
            _("Personal info"),
            {"fields": ("full_name", "employee_no", "email", "phone", "language")},
        ),
        (_("Organisation"), {"fields": ("department", "position", "clearance")}),
        (_("Employment"), {"fields": ("employment_start", "employment_end", "attendance_exempt")}),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "username",
                    "full_name",
                    "employee_no",
                    "department",
                    "position",
                    "clearance",
                    "employment_start",
                    "password1",
                    "password2",
                ),
            },
        ),
    )
