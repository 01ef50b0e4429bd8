"""History registration: every curated model and inline child, with every column.

The models are registered here, once the app registry is ready, not with
`@reversion.register()` on the class: that records the fields that exist when the class is
created, before django-modeltranslation adds `name_en`, `name_zh_hans` and the other
per-language columns, and an edit of the Chinese text alone would leave no trace. Each
curated model follows its inline children, so a revision of a therapy holds its approvals.
"""

import reversion

from portal import registry


def register_history() -> None:
    """Register (or re-register) the curated models and their inline children."""
    for model in (*registry.curated_models(), *registry.inline_models()):
        if reversion.is_registered(model):
            # The admin's VersionAdmin registers the models it shows before this runs.
            reversion.unregister(model)
        reversion.register(model, follow=[child.related_name for child in registry.inline_children(model)])
