"""Serializer fields the resources share, each readable from a model instance and from a row.

Related objects read as compact objects and are written as slugs; a related object the
reader may not see (a draft mechanism linked to a published therapy) reads as `null`, or is
left out of a list, whatever queryset the instance came from. Fields with code of their own
(partial dates, Markdown, derived values) keep it in one function that `to_representation`
and `row_part()` (the fast read path, portal/api/rows.py) both call.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import ImproperlyConfigured
from django.core.validators import slug_re
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.relations import MANY_RELATION_KWARGS, ManyRelatedField

from portal import i18n
from portal.api import rows
from portal.dates import iso_partial_date, parse_partial_date
from portal.markdown import render_markdown


def request_user(context):
    request = context.get("request")
    return getattr(request, "user", None)


class VisibleManyRelatedField(ManyRelatedField):
    """A list of related objects, minus those the reader may not see."""

    def to_representation(self, iterable):
        user = request_user(self.context)
        return [self.child_relation.to_representation(value) for value in iterable if value.is_visible_to(user)]


class VisibleLinksSerializer(serializers.ListSerializer):
    """Link rows (a therapy's mechanisms with their roles), minus those whose target the
    reader may not see; the child serializer names the target in `Meta.link_target`."""

    def to_representation(self, data):
        user = request_user(self.context)
        target = self.child.Meta.link_target
        links = data.all() if hasattr(data, "all") else data
        return [self.child.to_representation(link) for link in links if getattr(link, target).is_visible_to(user)]


class VisibleRowsSerializer(serializers.ListSerializer):
    """Rows public with their parents (a condition's approvals, public with their therapy),
    minus those the reader may not see, as the model's `visible_to(user)` decides."""

    def to_representation(self, data):
        rows = data.all() if hasattr(data, "all") else data
        visible = rows.model._default_manager.visible_to(request_user(self.context))
        return [self.child.to_representation(row) for row in rows.filter(pk__in=visible.values("pk"))]


class LinkedSlugField(serializers.RelatedField):
    """Reads as the related object's compact form; written as its slug.

    `compact` is the related model's compact serializer class; the related object is looked
    up among the objects the writer may see, so a slug of something hidden is "not found".
    """

    default_error_messages = {
        "does_not_exist": _("No %(model)s with the slug “{value}”."),
        "invalid": _("Give a slug: letters, digits, hyphens and underscores."),
    }

    def __init__(self, compact, **kwargs):
        self.compact = compact
        self.related_model = compact.Meta.model
        if not kwargs.get("read_only"):
            kwargs.setdefault("queryset", self.related_model.objects.all())
        super().__init__(**kwargs)
        self.error_messages["does_not_exist"] = self.error_messages["does_not_exist"] % {
            "model": self.related_model._meta.verbose_name
        }

    @classmethod
    def many_init(cls, *args, **kwargs):
        list_kwargs = {"child_relation": cls(*args, **kwargs)}
        for key in kwargs:
            if key in MANY_RELATION_KWARGS:
                list_kwargs[key] = kwargs[key]
        return VisibleManyRelatedField(**list_kwargs)

    def get_queryset(self):
        return self.related_model.objects.visible_to(request_user(self.context))

    def get_attribute(self, instance):
        related = super().get_attribute(instance)
        if related is not None and not related.is_visible_to(request_user(self.context)):
            return None
        return related

    def to_internal_value(self, data):
        # Anything else cannot be a slug; a NUL would even make PostgreSQL refuse the query.
        if not isinstance(data, str) or not slug_re.match(data):
            self.fail("invalid")
        related = self.get_queryset().filter(slug=data).first()
        if related is None:
            self.fail("does_not_exist", value=data)
        return related

    def to_representation(self, value):
        # One compact serializer per field, reused for every row: building a serializer's
        # fields costs more than serializing a compact object.
        if getattr(self, "_compact_serializer", None) is None:
            self._compact_serializer = self.compact(context=self.context)
        return self._compact_serializer.to_representation(value)

    def use_pk_only_optimization(self):
        return False

    def row_part(self, name, model, prefix, relations):
        """A foreign key: the target's compact form, joined into the row."""
        target = model._meta.get_field(self.source).related_model
        joined = f"{prefix}{self.source}__"
        return rows.Joined(name, target, rows.plan_for(self.compact, joined), joined)


class LinkedSlugFieldSchema(OpenApiSerializerFieldExtension):
    """OpenAPI: a compact object in responses, a slug string in requests."""

    target_class = LinkedSlugField
    match_subclasses = True

    def map_serializer_field(self, auto_schema, direction):
        if direction == "request":
            return {"type": "string", "description": "Slug of the related object."}
        return auto_schema.resolve_serializer(self.target.compact, direction).ref


def source_part(model, source: str, prefix: str) -> rows.Part:
    """The stored value of `source` (a translated one in the active language)."""
    if source in i18n.translated_fields(model):
        return rows.Text(source, source, prefix)
    return rows.Column(source, prefix + model._meta.get_field(source).attname)


class DerivedField(serializers.Field):
    """A read-only value computed from other fields of the object by `function`.

    `DerivedField(Reference.link_for, "doi", "pmid", "url")` reads as
    `Reference.link_for(obj.doi, obj.pmid, obj.url)`, from an instance and from a row alike;
    `schema` is its OpenAPI schema.
    """

    def __init__(self, function: Callable, *sources: str, schema: dict | None = None, **kwargs):
        self.function, self.sources = function, sources
        self.schema = schema or {"type": "string"}
        kwargs.update(source="*", read_only=True)
        super().__init__(**kwargs)

    def to_representation(self, instance):
        return self.function(*(getattr(instance, source) for source in self.sources))

    def row_part(self, name, model, prefix, relations):
        return rows.Computed(name, self.function, [source_part(model, source, prefix) for source in self.sources])


class MarkdownHtmlField(DerivedField):
    """A Markdown field rendered to sanitised HTML, in the response's language."""

    def __init__(self, markdown_field: str, **kwargs):
        kwargs.setdefault("help_text", _("`%s` rendered as sanitised HTML.") % markdown_field)
        super().__init__(render_markdown, markdown_field, schema={"type": "string"}, **kwargs)


@extend_schema_field({
    "type": "string", "nullable": True, "example": "2021-09",
    "description": "ISO 8601 cut to its precision: 2017-08-30, 2021-09, 2021-Q3 (written only) or 2012.",
})
class PartialDateField(serializers.Field):
    """A date known to a day, month, quarter or year: "2021-09" reads and writes as such.

    The model stores the first day of the period in `date_field` and the precision in
    `<date_field>_precision` (portal/dates.py).
    """

    def __init__(self, date_field: str, **kwargs):
        self.date_field = date_field
        kwargs.update(source="*", allow_null=True)
        if not kwargs.get("read_only"):
            kwargs["required"] = False
        super().__init__(**kwargs)

    def to_representation(self, instance):
        return iso_partial_date(getattr(instance, self.date_field), getattr(instance, f"{self.date_field}_precision"))

    def row_part(self, name, model, prefix, relations):
        date, precision = self.date_field, f"{self.date_field}_precision"
        reads = [source_part(model, date, prefix), source_part(model, precision, prefix)]
        return rows.Computed(name, iso_partial_date, reads)

    def to_internal_value(self, data):
        try:
            value, precision = parse_partial_date(str(data))
        except ValueError as error:
            raise serializers.ValidationError(_("Use a date like 2017-08-30, 2021-09, 2021-Q3 or 2015.")) from error
        return {self.date_field: value, f"{self.date_field}_precision": precision}

    def validate_empty_values(self, data):
        if data is None:
            # Clearing the date: source="*" merges this dict into the validated data.
            return True, {self.date_field: None}
        return super().validate_empty_values(data)


class DistinctValuesField(serializers.Field):
    """The distinct values of `field` over the visible objects of relation `relation`, sorted
    (a document's jurisdictions, from its issuing authorities). The serializer must show the
    relation itself in an earlier field, so the rows read it once."""

    def __init__(self, relation: str, field: str, **kwargs):
        self.relation, self.field = relation, field
        kwargs.update(source="*", read_only=True)
        super().__init__(**kwargs)

    def to_representation(self, instance):
        user = request_user(self.context)
        return sorted({getattr(related, self.field) for related in getattr(instance, self.relation).all()
                       if related.is_visible_to(user)})

    def row_part(self, name, model, prefix, relations):
        if self.relation not in relations:
            raise ImproperlyConfigured(f"show “{self.relation}” in a field before “{name}”")
        relation = relations[self.relation]
        relation.extra.append(self.field)
        return rows.Distinct(name, relation, self.field)


class DerivedFieldSchema(OpenApiSerializerFieldExtension):
    target_class = DerivedField
    match_subclasses = True

    def map_serializer_field(self, auto_schema, direction):
        return {**self.target.schema, "readOnly": True}


class DistinctValuesFieldSchema(OpenApiSerializerFieldExtension):
    target_class = DistinctValuesField

    def map_serializer_field(self, auto_schema, direction):
        return {"type": "array", "items": {"type": "string"}, "readOnly": True}


class AnnotatedChoiceField(serializers.ChoiceField):
    """A read-only value every queryset of the model annotates (an approval's derived
    `status`): read from the instance's attribute, or from the row's column of that name."""

    def __init__(self, choices, **kwargs):
        kwargs["read_only"] = True
        super().__init__(choices, **kwargs)

    def get_attribute(self, instance):
        if not hasattr(instance, self.source):  # built in memory: read it as a query would
            value = type(instance)._default_manager.filter(pk=instance.pk).values_list(self.source, flat=True).first()
            setattr(instance, self.source, value)
        return super().get_attribute(instance)

    def row_part(self, name, model, prefix, relations):
        return rows.Column(name, prefix + self.source)


class RelatedValueField(serializers.CharField):
    """A column of a foreign key's target, shown as a value of its own (an approval's
    `jurisdiction`, from its regulator): `RelatedValueField("regulator", "jurisdiction")`."""

    def __init__(self, relation: str, field: str, **kwargs):
        self.relation, self.related_field = relation, field
        kwargs.update(source=f"{relation}.{field}", read_only=True)
        super().__init__(**kwargs)

    def row_part(self, name, model, prefix, relations):
        return rows.Column(name, f"{prefix}{self.relation}__{self.related_field}")


class CitedReferencesField(serializers.Field):
    """The distinct references of an object's own `reference` and of its rows' (an
    approval's decision, then its events): a serializer showing `relation` in an earlier
    field, each row with a `reference` field."""

    def __init__(self, compact, relation: str, **kwargs):
        self.compact, self.relation = compact, relation
        kwargs.update(source="*", read_only=True)
        super().__init__(**kwargs)

    def to_representation(self, instance):
        user = request_user(self.context)
        found = [instance.reference, *(row.reference for row in getattr(instance, self.relation).all())]
        seen, compact = set(), self.compact(context=self.context)
        items = []
        for reference in found:
            if reference is not None and reference.pk not in seen and reference.is_visible_to(user):
                seen.add(reference.pk)
                items.append(compact.to_representation(reference))
        return items

    def row_part(self, name, model, prefix, relations):
        if self.relation not in relations:
            raise ImproperlyConfigured(f"show “{self.relation}” in a field before “{name}”")
        relation = relations[self.relation]
        own = LinkedSlugField(self.compact, read_only=True, source="reference").row_part(name, model, prefix, relations)
        of_rows = next(part for part in relation.plan.parts if part.name == "reference")
        return rows.Gathered(name, own, relation, of_rows)


class CitedReferencesFieldSchema(OpenApiSerializerFieldExtension):
    target_class = CitedReferencesField

    def map_serializer_field(self, auto_schema, direction):
        if direction == "request":
            return {"type": "array", "items": {"type": "string"}, "readOnly": True}
        return {"type": "array", "items": auto_schema.resolve_serializer(self.target.compact, direction).ref,
                "readOnly": True}
