"""The facet form of the public policy list: every field optional, every value checked.

It presents the page's parameters and checks them against the choices shown; the filtering
itself is `PolicyDocumentFilterSet`'s, the same as the API's."""

from django import forms
from django.utils.html import conditional_escape as esc
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from policies.choices import DocumentType, LegalStatus
from portal.choices import Jurisdiction


def _with_any(choices):
    return [("", _("Any"))] + list(choices)


class FacetSelect(forms.Select):
    """Django's select, rendered in Python with exactly the HTML of its templates.

    The facets hold a couple of hundred options (authorities, years); a template include per
    option made the form most of the policy list's rendering time.
    """

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [f'<select name="{esc(widget["name"])}"{_attrs(widget["attrs"])}>']
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(f'\n  <optgroup label="{esc(group_name)}">')
            parts.extend(
                f'\n  <option value="{esc(str(option["value"]))}"{_attrs(option["attrs"])}>'
                f'{esc(option["label"])}</option>\n'
                for option in options
            )
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))  # every value above is escaped


def _attrs(attrs: dict) -> str:
    """django/forms/widgets/attrs.html: True is a bare attribute, False leaves it out."""
    return "".join(
        f" {esc(name)}" if value is True else f' {esc(name)}="{esc(str(value))}"'
        for name, value in attrs.items() if value is not False
    )


class PolicyFilterForm(forms.Form):
    """Query-string facets. Unknown values are form errors, never server errors."""

    jurisdiction = forms.ChoiceField(label=_("Jurisdiction"), required=False, choices=_with_any(Jurisdiction.choices),
                                     widget=FacetSelect)
    authority = forms.ChoiceField(label=_("Authority"), required=False, widget=FacetSelect)
    type = forms.ChoiceField(label=_("Document type"), required=False, choices=_with_any(DocumentType.choices),
                             widget=FacetSelect)
    status = forms.ChoiceField(label=_("Legal status"), required=False, choices=_with_any(LegalStatus.choices),
                               widget=FacetSelect)
    year = forms.TypedChoiceField(label=_("Year issued"), required=False, coerce=int, empty_value=None,
                                  widget=FacetSelect)
    view = forms.ChoiceField(
        label=_("Show as"), required=False,
        choices=[("list", _("List")), ("timeline", _("Timeline"))], widget=FacetSelect,
    )

    def __init__(self, data, *, authorities: list[tuple[str, str]], years: list[int]):
        super().__init__(data)
        self.fields["authority"].choices = _with_any(authorities)
        self.fields["year"].choices = _with_any((str(year), str(year)) for year in years)

    def filters(self) -> dict:
        """The valid facets as `PolicyDocumentFilterSet` parameters (the page keeps its own,
        older names; a year is its first and last day); invalid ones are dropped."""
        self.is_valid()
        data = self.cleaned_data
        params = {"jurisdiction": data.get("jurisdiction"), "authority": data.get("authority"),
                  "doc_type": data.get("type"), "legal_status": data.get("status")}
        if data.get("year"):
            params |= {"issued_after": f"{data['year']:04d}-01-01", "issued_before": f"{data['year']:04d}-12-31"}
        return {name: value for name, value in params.items() if value}

    @property
    def is_timeline(self) -> bool:
        self.is_valid()
        return self.cleaned_data.get("view") == "timeline"
