from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "apps.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        from apps.core import badges

        from .selectors import notification_unread_count_expression

        badges.register("unread_notifications", notification_unread_count_expression)
