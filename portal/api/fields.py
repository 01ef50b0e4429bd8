"""Serializer fields for related objects: compact objects when read, slugs when written.

A related object the reader may not see (a draft mechanism linked to a published therapy)
reads as `null`, or is left out of a list, whatever queryset the instance came from.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from rest_framework import serializers
from rest_framework.relations import MANY_RELATION_KWARGS, ManyRelatedField


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


class LinkedSlugField(serializers.RelatedField):
    """Reads as the related object's compact form; written as its slug.

    `compact` is the related model's compact serializer class; the related object is looked
    up among the objects the writer may see, so a slug of something hidden is "not found".
    """

    default_error_messages = {
        "does_not_exist": _("No %(model)s with the slug “{value}”."),
        "invalid": _("Give a slug (a string)."),
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
        if not isinstance(data, str):
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


class LinkedSlugFieldSchema(OpenApiSerializerFieldExtension):
    """OpenAPI: a compact object in responses, a slug string in requests."""

    target_class = LinkedSlugField
    match_subclasses = True

    def map_serializer_field(self, auto_schema, direction):
        if direction == "request":
            return {"type": "string", "description": "Slug of the related object."}
        return auto_schema.resolve_serializer(self.target.compact, direction).ref
