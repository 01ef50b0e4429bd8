"""Format validators for the identifiers the portal cites and links out to, and the text rule."""

import re

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

validate_doi = RegexValidator(
    r"^10\.\d{4,9}/\S+$", _("Enter a DOI such as 10.1186/s13287-025-04343-0 (without https://doi.org/)."), "invalid_doi"
)
validate_pmid = RegexValidator(r"^[1-9]\d{0,8}$", _("A PMID is a number such as 32046775."), "invalid_pmid")
# UniProt's published accession pattern (https://www.uniprot.org/help/accession_numbers).
validate_uniprot = RegexValidator(
    r"^(?:[OPQ][0-9][A-Z0-9]{3}[0-9]|[A-NR-Z][0-9](?:[A-Z][A-Z0-9]{2}[0-9]){1,2})$",
    _("Enter a UniProt accession such as P05019."),
    "invalid_uniprot",
)
validate_hgnc = RegexValidator(r"^HGNC:[1-9]\d*$", _("Enter an HGNC ID such as HGNC:5464."), "invalid_hgnc")
validate_ncbi_gene = RegexValidator(r"^[1-9]\d*$", _("An NCBI Gene ID is a number such as 3479."), "invalid_ncbi_gene")
# WHO ICD-10 and ICD-10-CM: a letter, two digits, optionally a dot and up to four characters.
validate_icd10 = RegexValidator(
    r"^[A-Z][0-9][0-9A-Z](?:\.[0-9A-Z]{1,4})?$", _("Enter an ICD-10 code such as M17 or C83.3."), "invalid_icd10"
)
validate_mesh = RegexValidator(r"^[CD]\d{6,9}$", _("Enter a MeSH ID such as D020370."), "invalid_mesh")

# C0 control characters but tab, line feed and carriage return: XML 1.0 cannot carry them (an
# Atom feed with one was a 500), and no editor means to type one.
CONTROL_CHARACTER = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def strip_control_characters(text: str) -> str:
    return CONTROL_CHARACTER.sub("", text)


def control_character_errors(instance, exclude=None) -> dict[str, ValidationError]:
    """A ValidationError per text field of `instance` holding a control character.

    Fields are read through `_meta`, so every text field is covered, language columns
    included. A language column (`name_zh_hans`) is named as its field (`name`) when the
    caller validates the field itself (the API), else by its own name (the admin's forms).
    """
    exclude = set(exclude or ())
    errors = {}
    for field in instance._meta.concrete_fields:
        if not isinstance(field, models.CharField | models.TextField) or field.name in exclude:
            continue
        value = getattr(instance, field.attname)
        found = CONTROL_CHARACTER.search(value) if isinstance(value, str) else None
        if found is None:
            continue
        translated = getattr(field, "translated_field", None)
        name = translated.name if translated is not None and translated.name not in exclude else field.name
        errors[name] = ValidationError(
            _("Remove the control character U+%(code)04X: only tabs and line breaks are allowed in text."),
            code="control_character", params={"code": ord(found.group())},
        )
    return errors
