from django.db import models

from apps.core.models import ClassifiedModel


class SampleDocument(ClassifiedModel):
    title = models.CharField(max_length=100)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.title
