"""Template helpers about therapies: their JSON-LD, regulators in force, withdrawn approvals."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from portal.templatetags.portal_tags import absolute, display, jsonld
from therapies.choices import ApprovalStatus

register = template.Library()


@register.simple_tag(takes_context=True)
def therapy_jsonld(context, therapy) -> SafeString:
    data = {
        "@context": "https://schema.org",
        "@type": "MedicalTherapy",
        "name": str(therapy.name),
        "url": absolute(context, therapy.get_absolute_url()),
        "description": therapy.summary or None,
        "drug": {"@type": "Drug", "nonProprietaryName": therapy.generic_name} if therapy.generic_name else None,
    }
    if therapy.published_conditions:
        data["indication"] = [
            {"@type": "MedicalIndication", "name": str(c.name), "url": absolute(context, c.get_absolute_url())}
            for c in therapy.published_conditions
        ]
    return jsonld({k: v for k, v in data.items() if v})


@register.filter
def active_agencies(therapy) -> list[str]:
    """Labels of regulators whose approval is in force, from prefetched approvals."""
    seen, labels = set(), []
    for approval in therapy.approvals.all():
        if approval.status == ApprovalStatus.ACTIVE and approval.agency not in seen:
            seen.add(approval.agency)
            labels.append(display(approval, "agency"))
    return labels


@register.filter
def is_withdrawn(approval) -> bool:
    """The one place pages decide that an approval is shown as withdrawn."""
    return approval.status == ApprovalStatus.WITHDRAWN
