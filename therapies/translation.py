"""Human-readable fields in English and Simplified Chinese (columns in the same table)."""

from modeltranslation.translator import TranslationOptions, register

from therapies.models import (
    Approval,
    ApprovalEvent,
    Condition,
    Mechanism,
    MechanismMolecule,
    Molecule,
    Therapy,
    TherapyCategory,
    TherapyMechanism,
)


class EnglishRequired(TranslationOptions):
    # English is the fallback language, so it is the one that must be filled in.
    required_languages = ("en",)


@register(TherapyCategory)
class TherapyCategoryTranslation(EnglishRequired):
    fields = ("name", "description")


@register(Molecule)
class MoleculeTranslation(EnglishRequired):
    fields = ("name", "description")


@register(Condition)
class ConditionTranslation(EnglishRequired):
    fields = ("name", "description")


@register(Mechanism)
class MechanismTranslation(EnglishRequired):
    fields = ("name", "summary", "body")


@register(MechanismMolecule)
class MechanismMoleculeTranslation(TranslationOptions):
    fields = ("role",)


@register(Therapy)
class TherapyTranslation(EnglishRequired):
    fields = ("name", "generic_name", "developer", "cell_type", "summary", "body")


@register(TherapyMechanism)
class TherapyMechanismTranslation(TranslationOptions):
    fields = ("role",)


@register(Approval)
class ApprovalTranslation(TranslationOptions):
    fields = ("indication_text",)


@register(ApprovalEvent)
class ApprovalEventTranslation(TranslationOptions):
    fields = ("details",)
