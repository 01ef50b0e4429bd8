"""What a browser posts back from an admin change form: every field as the page shows it."""


def _bound_value(bound_field):
    value = bound_field.value()
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    if value is True:
        return "on"
    if value in (None, False):
        return None
    return value


def posted(response, **overrides) -> dict:
    """The change form of `response` (main form and every inline formset) as POST data."""
    context = response.context
    data = {}
    form = context["adminform"].form
    for name in form.fields:
        data[form.add_prefix(name)] = _bound_value(form[name])
    for inline in context.get("inline_admin_formsets", []):
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management[name].value()
        for inline_form in formset.forms:
            for name in inline_form.fields:
                data[inline_form.add_prefix(name)] = _bound_value(inline_form[name])
    data.update(overrides)
    return {name: value for name, value in data.items() if value is not None}
