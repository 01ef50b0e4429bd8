"""The facet form of the public policy list: every field optional, every value checked."""

from django import forms
from django.utils.translation import gettext_lazy as _

from policies.choices import DocumentType, LegalStatus
from portal.choices import Jurisdiction


def _with_any(choices):
    return [("", _("Any"))] + list(choices)


class PolicyFilterForm(forms.Form):
    """Query-string facets. Unknown values are form errors, never server errors."""

    jurisdiction = forms.ChoiceField(label=_("Jurisdiction"), required=False, choices=_with_any(Jurisdiction.choices))
    authority = forms.ChoiceField(label=_("Authority"), required=False)
    type = forms.ChoiceField(label=_("Document type"), required=False, choices=_with_any(DocumentType.choices))
    status = forms.ChoiceField(label=_("Legal status"), required=False, choices=_with_any(LegalStatus.choices))
    year = forms.TypedChoiceField(label=_("Year issued"), required=False, coerce=int, empty_value=None)
    view = forms.ChoiceField(
        label=_("Show as"), required=False,
        choices=[("list", _("List")), ("timeline", _("Timeline"))],
    )

    def __init__(self, data, *, authorities: list[tuple[str, str]], years: list[int]):
        super().__init__(data)
        self.fields["authority"].choices = _with_any(authorities)
        self.fields["year"].choices = _with_any((str(year), str(year)) for year in years)

    def filters(self) -> dict:
        """The valid facets as keyword arguments for `filter_policies`; invalid ones are dropped."""
        self.is_valid()
        data = self.cleaned_data
        return {
            "jurisdiction": data.get("jurisdiction") or "",
            "authority": data.get("authority") or "",
            "doc_type": data.get("type") or "",
            "legal_status": data.get("status") or "",
            "year": data.get("year"),
        }

    @property
    def is_timeline(self) -> bool:
        self.is_valid()
        return self.cleaned_data.get("view") == "timeline"
