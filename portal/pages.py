"""What the apps add to the base's own pages (home, about), registered by each app's `ready()`.

The base shows therapy and policy content on these pages without importing the apps: each
app contributes a function for the home page's context and the models whose latest change
dates the site. Sections follow the order of INSTALLED_APPS.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Max

from portal.generation import cached_for_generation

_home_sections: list[Callable[[], dict]] = []
_dated_models: list[type] = []


def register(*, home: Callable[[], dict] | None = None, dated_models: tuple[type, ...] = ()) -> None:
    """Add an app's home-page context function and the published models that date the site."""
    if home is not None and home not in _home_sections:
        _home_sections.append(home)
    _dated_models.extend(model for model in dated_models if model not in _dated_models)


def home_context() -> dict:
    context: dict = {}
    for section in _home_sections:
        context.update(section())
    return context


def last_content_change():
    """When a published item of a dated model last changed (scans of large tables, so cached)."""
    def compute():
        stamps = [model.objects.published().aggregate(latest=Max("updated_at"))["latest"] for model in _dated_models]
        return max(filter(None, stamps), default=None) or ""

    return cached_for_generation("last-content-change", compute) or None
