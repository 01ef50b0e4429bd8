"""Which models are curated content, read from what each model declares about itself.

A curated model is a concrete subclass of `EditorialModel`. What else the portal must know
about it is a class attribute on the model, read here and nowhere else:

- `inline_children`: related names of the rows edited inside it (a therapy's `approvals`);
- `markdown_fields`: its Markdown text fields (each also gets a `<field>_html`);
- `data_file`: its file under data/ for `load_curated`;
- `public_url_name`: its public page (`None`: no page, so no sitemap either).

The loader, export and import, the history registration, the editorial roles, the sitemaps,
the admin and the content generation all ask these functions, so adding a curated model or
an inline child is one declaration on the model. Answers are cached: call them only once
the app registry is ready (they raise `AppRegistryNotReady` before).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.db import models

from portal.models import EditorialModel

# Besides curated rows, the public reads the search index (the search page and its counts),
# so a change there must also make cached responses stale.
DERIVED_CONTENT = ("portal.SearchEntry",)


@dataclass(frozen=True)
class InlineChild:
    """Rows edited, versioned, exported and loaded as part of their parent.

    `related_name` is the reverse relation on the parent (`approvals`), `parent_field` the
    foreign key on the row that points back (`therapy`).
    """

    model: type[models.Model]
    related_name: str
    parent_field: str


@cache
def curated_models() -> tuple[type[EditorialModel], ...]:
    """Every curated model, in the app registry's order (INSTALLED_APPS, then definition)."""
    return tuple(model for model in apps.get_models() if issubclass(model, EditorialModel))


@cache
def inline_children(model: type[models.Model]) -> tuple[InlineChild, ...]:
    """The inline children `model` declares, in the order it declares them."""
    children = []
    for name in getattr(model, "inline_children", ()):
        relation = model._meta.get_field(name)
        if not relation.one_to_many or relation.concrete:
            raise ImproperlyConfigured(
                f"{model.__name__}.inline_children: {name!r} is not the related name of a foreign key to it."
            )
        children.append(InlineChild(relation.related_model, name, relation.field.name))
    return tuple(children)


@cache
def inline_models() -> tuple[type[models.Model], ...]:
    """Every inline child model, under its parent in `curated_models()` order, with the
    children of children (an approval's events) after their parent."""
    found: list[type[models.Model]] = []

    def walk(model):
        for child in inline_children(model):
            found.append(child.model)
            walk(child.model)

    for model in curated_models():
        walk(model)
    return tuple(found)


def markdown_fields(model: type[models.Model]) -> tuple[str, ...]:
    """The fields of `model` written in Markdown (each has a rendered `<field>_html`)."""
    return tuple(getattr(model, "markdown_fields", ()))


@cache
def public_models() -> tuple[type[EditorialModel], ...]:
    """Curated models with a public page of their own."""
    return tuple(model for model in curated_models() if model.public_url_name)


@cache
def content_models() -> tuple[type[models.Model], ...]:
    """Every model whose change must bump the content generation: what public responses show."""
    return (*curated_models(), *inline_models(), *(apps.get_model(label) for label in DERIVED_CONTENT))


def _references(model: type[models.Model]) -> set[type[models.Model]]:
    """Models `model`'s own fields point at (foreign keys and many-to-many), itself excluded."""
    return {
        field.related_model
        for field in model._meta.get_fields()
        if field.is_relation and not field.auto_created and field.related_model not in (None, model)
    }


@cache
def load_order() -> tuple[type[EditorialModel], ...]:
    """Curated models so that each comes after every curated model it or its inline rows
    point at: the order to create them in. Ties keep `curated_models()` order."""
    curated = curated_models()
    needs = {}
    for model in curated:
        pointed_at = _references(model)
        for child in inline_children(model):
            pointed_at |= _references(child.model)
        needs[model] = {other for other in pointed_at if other in curated and other is not model}
    ordered: list[type[EditorialModel]] = []
    while len(ordered) < len(curated):
        ready = [model for model in curated if model not in ordered and needs[model] <= set(ordered)]
        if not ready:
            left = sorted(model.__name__ for model in curated if model not in ordered)
            raise ImproperlyConfigured(f"Curated models refer to each other in a cycle: {', '.join(left)}.")
        ordered.append(ready[0])
    return tuple(ordered)
