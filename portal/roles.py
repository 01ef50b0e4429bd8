"""The two editorial roles, as data: which permissions each group holds.

Used by the data migration that creates the groups and by tests; kept here so the
rule "an Editor drafts, a Publisher decides what is public" has one home.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from portal import registry

EDITOR = "Editor"
PUBLISHER = "Publisher"

ModelNames = Mapping[str, Iterable[str]]  # app label -> model names


def _by_app(models) -> dict[str, list[str]]:
    names: dict[str, list[str]] = {}
    for model in models:
        names.setdefault(model._meta.app_label, []).append(model._meta.model_name)
    return names


def curated_model_names() -> dict[str, list[str]]:
    """Models an editor curates; their publish_* permission is what separates the roles."""
    return _by_app(registry.curated_models())


def inline_model_names() -> dict[str, list[str]]:
    """Rows edited inline inside a curated item; removing one is part of editing its parent."""
    return _by_app(registry.inline_models())


def role_permissions(role: str, curated: ModelNames | None = None, inline: ModelNames | None = None
                     ) -> list[tuple[str, str]]:
    """(app_label, codename) pairs the role holds, over today's models unless the caller
    (a data migration, which must not change with the code) names its own."""
    curated = curated_model_names() if curated is None else curated
    inline = inline_model_names() if inline is None else inline
    pairs = []
    for app_label, models in curated.items():
        for model in models:
            actions = ["add", "change", "view"]
            if role == PUBLISHER:
                actions += ["delete", "publish"]
            pairs += [(app_label, f"{action}_{model}") for action in actions]
    for app_label, models in inline.items():
        for model in models:
            pairs += [(app_label, f"{action}_{model}") for action in ("add", "change", "delete", "view")]
    return pairs
