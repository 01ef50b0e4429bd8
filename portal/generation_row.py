"""The stored content generation (`portal/generation.py`): one row, bumped in the same
transaction as every content change, so the database, not the cache, is the truth."""

from django.db import models


class ContentGeneration(models.Model):
    """The one row (id 1) whose `value` names the committed state of public content."""

    value = models.BigIntegerField()

    def __str__(self) -> str:
        return str(self.value)
