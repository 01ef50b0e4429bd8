"""Template helpers about policy documents: their JSON-LD and jurisdictions."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from portal.templatetags.portal_tags import absolute, jsonld

register = template.Library()


@register.simple_tag(takes_context=True)
def policy_jsonld(context, policy) -> SafeString:
    data = {
        "@context": "https://schema.org",
        "@type": "Legislation",
        "name": str(policy.title),
        "alternateName": policy.title_original or None,
        "legislationIdentifier": policy.document_number or None,
        "legislationDate": policy.issued_on_iso,
        "legislationDateOfApplicability": policy.effective_on_iso,
        "legislationPassedBy": [
            {"@type": "GovernmentOrganization", "name": str(a.name), "url": absolute(context, a.get_absolute_url())}
            for a in policy.published_authorities
        ] or None,
        "legislationJurisdiction": ", ".join(policy_jurisdictions(policy)) or None,
        "url": absolute(context, policy.get_absolute_url()),
        "sameAs": policy.source_url or None,
        "abstract": policy.summary or None,
    }
    return jsonld({k: v for k, v in data.items() if v})


@register.filter
def policy_jurisdictions(policy) -> list[str]:
    """Jurisdiction codes of the published authorities (no query: they are prefetched)."""
    return sorted({a.jurisdiction for a in getattr(policy, "published_authorities", [])})
