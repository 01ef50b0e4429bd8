"""The two editorial roles, as data: which permissions each group holds.

Used by the data migration that creates the groups and by tests; kept here so the
rule "an Editor drafts, a Publisher decides what is public" has one home.
"""

EDITOR = "Editor"
PUBLISHER = "Publisher"

# Models an editor curates; their publish_* permission is what separates the roles.
CURATED_MODELS = {
    "portal": ["reference"],
    "therapies": ["therapycategory", "therapy", "condition", "mechanism", "molecule"],
    "policies": ["authority", "policydocument"],
}
# Rows edited inline inside a curated item; removing one is part of editing its parent.
INLINE_MODELS = {
    "therapies": ["approval", "therapymechanism", "mechanismmolecule"],
    "policies": ["keyprovision"],
}


def role_permissions(role: str) -> list[tuple[str, str]]:
    """(app_label, codename) pairs the role holds."""
    pairs = []
    for app_label, models in CURATED_MODELS.items():
        for model in models:
            actions = ["add", "change", "view"]
            if role == PUBLISHER:
                actions += ["delete", "publish"]
            pairs += [(app_label, f"{action}_{model}") for action in actions]
    for app_label, models in INLINE_MODELS.items():
        for model in models:
            pairs += [(app_label, f"{action}_{model}") for action in ("add", "change", "delete", "view")]
    return pairs
