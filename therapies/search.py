"""What site search indexes of the therapies app (found by `autodiscover_modules("search")`).

Text is every translated field but the title; keywords are matched like the title and never
shown. Declared in the order the search page lists its types.
"""

from django.utils.translation import gettext_lazy as _

from portal.search import Source, register
from therapies.models import Condition, Mechanism, Molecule, Therapy, TherapyCategory


@register
class TherapySource(Source):
    model = Therapy
    kind = "therapy"
    label = _("Therapies and products")
    keyword_fields = ("generic_name", "slug")
    inline_keywords = (("other_names", "name"),)  # former names and development codes
    # The prose first: a snippet opens at the first match, and the summary reads best.
    text_first = ("summary", "body", "cell_type", "developer")


@register
class CategorySource(Source):
    model = TherapyCategory
    kind = "category"
    label = _("Categories")
    keyword_fields = ("slug",)


@register
class MechanismSource(Source):
    model = Mechanism
    kind = "mechanism"
    label = _("Mechanisms")
    keyword_fields = ("slug",)


@register
class MoleculeSource(Source):
    model = Molecule
    kind = "molecule"
    label = _("Molecules")
    title_prefix_field = "symbol"
    keyword_fields = ("symbol", "aliases", "uniprot", "hgnc_id")


@register
class ConditionSource(Source):
    model = Condition
    kind = "condition"
    label = _("Conditions")
    keyword_fields = ("icd10", "icd10_cm", "slug")
