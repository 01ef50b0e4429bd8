"""What site search indexes of the policies app (found by `autodiscover_modules("search")`)."""

from django.utils.translation import gettext_lazy as _

from policies.models import Authority, PolicyDocument
from portal.search import Source, register


@register
class PolicySource(Source):
    model = PolicyDocument
    kind = "policy"
    label = _("Policy documents")
    title_field = "title"
    keyword_fields = ("title_original", "document_number")


@register
class AuthoritySource(Source):
    model = Authority
    kind = "authority"
    label = _("Authorities")
    # A translated keyword: the abbreviation in every language finds the authority as its
    # name does; it stays out of the text, as it always has (the snippet shows prose).
    keyword_fields = ("abbreviation",)
