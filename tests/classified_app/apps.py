from django.apps import AppConfig


class ClassifiedAppConfig(AppConfig):
    """A test-only app with one classified model, to test the shared mechanism in apps.core."""

    name = "tests.classified_app"
    label = "classified_app"
