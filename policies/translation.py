"""Human-readable fields in English and Simplified Chinese (columns in the same table)."""

from modeltranslation.translator import TranslationOptions, register

from policies.models import Authority, KeyProvision, PolicyDocument


@register(Authority)
class AuthorityTranslation(TranslationOptions):
    fields = ("name", "abbreviation", "description")
    required_languages = ("en",)


@register(PolicyDocument)
class PolicyDocumentTranslation(TranslationOptions):
    fields = ("title", "summary", "body")
    required_languages = ("en",)


@register(KeyProvision)
class KeyProvisionTranslation(TranslationOptions):
    fields = ("heading", "text")
    required_languages = ("en",)
