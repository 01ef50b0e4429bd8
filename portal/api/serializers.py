"""Base serializers of the API: compact forms, the editorial write rules, references.

Writes go through the model's own rules: `check_status_change()` decides who may publish,
`full_clean()` runs the same validation as the admin, and every change is one
django-reversion revision with its user, like an admin save.
"""

from __future__ import annotations

import reversion
from django.core.exceptions import ImproperlyConfigured
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models, transaction
from django.utils.translation import get_language, override
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from portal import i18n
from portal.api import rows
from portal.api.fields import DerivedField
from portal.choices import EditorialStatus
from portal.citations import citation_errors, cited_fields
from portal.links import slug_path
from portal.models import Reference


def absolute(context: dict, path: str) -> str:
    """`request.build_absolute_uri(path)` for a path, with scheme and host worked out once per response."""
    request = context.get("request")
    if request is None:
        return path
    if path.startswith(("http://", "https://")):  # a reference's page is its source
        return path
    if "base_url" not in context:
        context["base_url"] = request.build_absolute_uri("/")[:-1]
    return context["base_url"] + path


@extend_schema_field({"type": "string", "format": "uri", "readOnly": True})
class ApiUrlField(serializers.Field):
    """The object's absolute API URL, without the request's own query (`?format=csv`, `?lang=`)."""

    def __init__(self, basename: str, **kwargs):
        self.basename = basename
        kwargs.update(source="*", read_only=True)
        super().__init__(**kwargs)

    def to_representation(self, instance):
        return absolute(self.context, slug_path(f"api:{self.basename}-detail", instance.slug))

    def row_part(self, name, model, prefix, relations):
        return rows.ApiUrl(name, self.basename, prefix)


def detail_url_field(basename: str) -> ApiUrlField:
    return ApiUrlField(basename)


class CompactSerializer(serializers.Serializer):
    """`slug`, name or title, and `url`: how related objects and `?brief=1` lists appear.

    Subclasses add the label field(s) and set `Meta.model` and `Meta.basename`.
    """

    slug = serializers.SlugField(read_only=True)

    class Meta:
        model: type[models.Model]
        basename: str

    def get_fields(self):
        fields = super().get_fields()
        fields["url"] = detail_url_field(self.Meta.basename)
        return fields


class ReferenceCompactSerializer(CompactSerializer):
    title = serializers.CharField(read_only=True)

    class Meta:
        model = Reference
        basename = "reference"


@extend_schema_field({"type": "string", "format": "uri", "nullable": True})
class WebUrlField(serializers.Field):
    """The object's page on the public site, in the response's language; null without one."""

    def __init__(self, **kwargs):
        kwargs.update(source="*", read_only=True, allow_null=True)
        super().__init__(**kwargs)

    def to_representation(self, instance):
        language = self.context.get("language")
        if language and language != get_language():
            with override(language):
                path = instance.get_absolute_url()
        else:
            path = instance.get_absolute_url()
        return absolute(self.context, path) if path else None

    def row_part(self, name, model, prefix, relations):
        if not model.public_url_name:
            raise ImproperlyConfigured(f"{model.__name__} has no public page (public_url_name)")
        return rows.WebUrl(name, model.public_url_name, prefix)


def link_or_none(doi: str, pmid: str, url: str) -> str | None:
    """A reference's page is its source: DOI, PubMed or URL (`Reference.get_absolute_url`)."""
    return Reference.link_for(doi, pmid, url) or None


class EditorialSerializer(serializers.ModelSerializer):
    """Common fields and write rules of every curated model.

    `Meta.basename` names the API route; many-to-many fields are set after the save, and
    `save_nested(instance, data)` lets subclasses write inline rows in the same revision.
    """

    status = serializers.ChoiceField(
        choices=EditorialStatus.choices, required=False,
        help_text=_("Editorial status. New objects are drafts; only a Publisher may publish or archive."),
    )
    web_url = WebUrlField()

    # Fields every subclass ends its Meta.fields with.
    common_fields = ("status", "published_at", "updated_at", "web_url")
    read_only_audit_fields = ("published_at", "created_at", "updated_at")
    nested_fields: tuple[str, ...] = ()

    class Meta:
        model: type[models.Model]
        basename: str

    def get_fields(self):
        fields = super().get_fields()
        fields["url"] = detail_url_field(self.Meta.basename)
        for name in self.read_only_audit_fields:
            if name in fields:
                fields[name].read_only = True
        return fields

    @property
    def user(self):
        request = self.context.get("request")
        return getattr(request, "user", None)

    def validate_status(self, value):
        instance = self.instance or self.Meta.model()
        try:
            instance.check_status_change(self.user, value)
        except DjangoPermissionDenied as error:
            raise serializers.ValidationError(str(error)) from error
        return value

    def create(self, validated_data):
        return self._save(self.Meta.model(created_by=self.user), validated_data, created=True)

    def update(self, instance, validated_data):
        return self._save(instance, validated_data, created=False)

    def _save(self, instance, data, *, created: bool):
        many_to_many = {
            name: data.pop(name) for name in list(data)
            if name in {field.name for field in instance._meta.many_to_many}
        }
        nested = {name: data.pop(name) for name in self.nested_fields if name in data}
        for name, value in data.items():
            setattr(instance, name, value)
        instance.updated_by = self.user
        try:
            instance.full_clean()
        except DjangoValidationError as error:
            raise serializers.ValidationError(serializers.as_serializer_error(error)) from error
        self._check_citations(instance, many_to_many)
        with transaction.atomic(), reversion.create_revision():
            instance.save()
            for name, values in many_to_many.items():
                getattr(instance, name).set(values)
            self.save_nested(instance, nested)
            reversion.set_user(self.user)
            reversion.set_comment(_("Created through the API.") if created else _("Changed through the API."))
        return instance

    def _check_citations(self, instance, many_to_many: dict) -> None:
        """A citation names one of the item's references, as given or as stored."""
        if not any(field.name == "references" for field in instance._meta.many_to_many):
            return
        if "references" in many_to_many:
            slugs = [reference.slug for reference in many_to_many["references"]]
        else:
            slugs = list(instance.references.values_list("slug", flat=True)) if instance.pk else []
        field_of = {column: name for name in cited_fields(type(instance))
                    for column in (i18n.columns(name) if name in i18n.translated_fields(type(instance)) else [name])}
        columns = {column: getattr(instance, column, "") for column in field_of}
        errors = citation_errors(type(instance), columns, slugs)
        if errors:  # named by the API's field, whichever language carries the citation
            raise serializers.ValidationError({field_of[column]: message for column, message in errors.items()})

    def save_nested(self, instance, data: dict) -> None:
        """Write inline rows given in the request; nothing to do by default."""


class RowSerializer(serializers.ModelSerializer):
    """An inline row written inside its parent (a therapy's mechanism links): its fields pass
    the model's own field rules (`clean_fields`: control characters...), as an admin inline's would."""

    def validate(self, attrs):
        model = self.Meta.model
        row = model(**attrs)
        try:
            row.clean_fields(exclude=[field.name for field in model._meta.concrete_fields if field.name not in attrs])
        except DjangoValidationError as error:
            raise serializers.ValidationError(serializers.as_serializer_error(error)) from error
        return attrs


def detail_fields(list_serializer, *extra: str) -> tuple[str, ...]:
    """A detail's fields: those of the list item, then `extra`, then the common ones."""
    common = EditorialSerializer.common_fields
    return (*(name for name in list_serializer.Meta.fields if name not in common), *extra, *common)


class ReferenceSerializer(EditorialSerializer):
    source_url = serializers.URLField(
        source="url", required=False, allow_blank=True, max_length=1000,
        help_text=_("Where the source can be read (the model's URL field)."),
    )
    link = DerivedField(Reference.link_for, "doi", "pmid", "url",
                        help_text=_("The most durable address: DOI, PubMed, then URL."))
    web_url = DerivedField(link_or_none, "doi", "pmid", "url",
                           schema={"type": "string", "format": "uri", "nullable": True})

    class Meta:
        model = Reference
        basename = "reference"
        fields = (
            "slug", "url", "kind", "title", "authors", "publisher", "year", "doi", "pmid", "source_url", "link",
            "accessed_on", *EditorialSerializer.common_fields,
        )
