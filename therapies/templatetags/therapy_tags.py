"""Template helpers about therapies: their JSON-LD, regulators in force, withdrawn approvals."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from portal.templatetags.portal_tags import absolute, jsonld
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
        "drug": {"@type": "Drug", "nonProprietaryName": str(therapy.generic_name)} if therapy.generic_name else None,
    }
    if therapy.published_conditions:
        data["indication"] = [
            {"@type": "MedicalIndication", "name": str(c.name), "url": absolute(context, c.get_absolute_url())}
            for c in therapy.published_conditions
        ]
    return jsonld({k: v for k, v in data.items() if v})


@register.filter
def active_regulators(therapy) -> list[str]:
    """Regulators with an approval in force (only those count as "approved"), from
    prefetched approvals, each once."""
    seen, labels = set(), []
    for approval in therapy.approvals.all():
        if approval.is_active and approval.regulator_id not in seen:
            seen.add(approval.regulator_id)
            labels.append(regulator_label(approval.regulator))
    return labels


@register.filter
def regulator_label(regulator) -> str:
    """A regulator as tables show it: its abbreviation, else its name."""
    return str(regulator.abbreviation or regulator.name)


@register.filter
def status_badge_class(approval) -> str:
    """The badge of an approval's status: only one in force reads as approved."""
    return "badge-approved" if approval.status == ApprovalStatus.ACTIVE else "badge-withdrawn"


@register.filter
def join_labels(regulators) -> str:
    return ", ".join(regulator_label(regulator) for regulator in regulators)
