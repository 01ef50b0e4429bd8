"""History registration: every curated model and inline child, with every column.

The models are registered here, once the app registry is ready, not with
`@reversion.register()` on the class: that records the fields that exist when the class is
created, before django-modeltranslation adds `name_en`, `name_zh_hans` and the other
per-language columns, and an edit of the Chinese text alone would leave no trace. Each
curated model follows its inline children, so a revision of a therapy holds its approvals.
"""

import reversion
from django.core.exceptions import PermissionDenied

from portal import registry


def register_history() -> None:
    """Register (or re-register) the curated models and their inline children."""
    for model in (*registry.curated_models(), *registry.inline_models()):
        if reversion.is_registered(model):
            # The admin's VersionAdmin registers the models it shows before this runs.
            reversion.unregister(model)
        reversion.register(model, follow=[child.related_name for child in registry.inline_children(model)])


def status_moves(revision, *, skip: tuple[type, str] | None = None):
    """(model, label, current status, restored status) for each curated item in `revision`
    whose status a revert of it would change; None stands for "does not exist".

    A revert restores every object of its revision, not only the one whose history it was
    opened from (one `load_curated` run is one revision), so each of them is a status move.
    `skip` is (model, object id) of the item the change form itself checks.
    """
    for version in revision.version_set.all():
        model = version._model
        if model not in registry.curated_models() or (model, str(version.object_id)) == skip:
            continue
        restored = version.field_dict.get("status")
        current = model._default_manager.filter(pk=version.object_id).values_list("status", flat=True).first()
        if restored != current:
            yield model, version.object_repr, current, restored


def check_revert(user, revision, *, skip: tuple[type, str] | None = None) -> None:
    """Raise PermissionDenied unless `user` may make every status move reverting `revision` makes."""
    for model, label, current, restored in status_moves(revision, skip=skip):
        try:
            model.check_status_move(user, current, restored)
        except PermissionDenied as denied:
            raise PermissionDenied(f"{model._meta.verbose_name} “{label}”: {denied}") from denied
