"""History registration that sees the translated columns.

`@reversion.register()` on a model records the fields that exist when the class is
created, which is before django-modeltranslation adds `name_en`, `name_zh_hans` and the
other per-language columns. Without this step a revision would keep only the base column,
and an edit of the Chinese text alone would leave no trace in the history.
"""

import reversion
from reversion.revisions import _get_options

HISTORY_APPS = ("portal", "therapies", "policies")


def register_translated_fields() -> None:
    """Re-register every versioned model of our apps, now that all its columns exist."""
    for model in list(reversion.get_registered_models()):
        if model._meta.app_label not in HISTORY_APPS:
            continue
        options = _get_options(model)
        reversion.unregister(model)
        reversion.register(
            model,
            follow=options.follow,
            format=options.format,
            for_concrete_model=options.for_concrete_model,
            ignore_duplicates=options.ignore_duplicates,
            use_natural_foreign_keys=options.use_natural_foreign_keys,
        )
