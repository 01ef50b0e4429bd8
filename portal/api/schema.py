"""OpenAPI details drf-spectacular cannot infer: `?brief=1` lists and the error responses."""

from __future__ import annotations

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import PolymorphicProxySerializer
from rest_framework import permissions

ERROR_SCHEMA = {
    "type": "object",
    "description": "`detail`, or the names of the parameters or fields at fault with their messages. "
                   "A 429 adds `retry_after` (seconds).",
    "additionalProperties": True,
}
ERRORS = {
    "400": "Invalid input: the body names the parameter or field.",
    "401": "Authentication required.",
    "403": "Not allowed for this user.",
    "404": "No such object visible to you, or a page past the end.",
    "412": "The item changed after the version named in If-Match was read.",
    "429": "Too many requests; retry after the number of seconds in `retry_after`.",
}
READ_ERRORS = ("400", "404", "429")
# Text parameters may hold anything but a NUL, which no database takes (a 400 says so).
TEXT_PARAMETER_PATTERN = "^[^\\u0000]*$"
# Only updates take If-Match (portal/api/viewsets.py).
CONDITIONAL_WRITES = ("put", "patch")


def with_empty_choice(parameter: dict) -> dict:
    """An enum parameter that also takes "": django-filter and DRF's `?format=` read an empty
    value as "not given" (the HTML lists' forms send one), so the schema says so."""
    schema = parameter.get("schema", {})
    for node in (schema, schema.get("items", {})):
        if "enum" in node and "" not in node["enum"]:
            node["enum"] = [*node["enum"], ""]
    return parameter


class PortalAutoSchema(AutoSchema):
    """Every API view's schema: reads open to anonymous readers say so, and empty filter
    and format values are documented as accepted."""

    def get_auth(self):
        auths = super().get_auth()
        permission_classes = [type(permission) for permission in self.view.get_permissions()]
        anonymous_reads = self.method in permissions.SAFE_METHODS and any(
            issubclass(cls, permissions.DjangoModelPermissionsOrAnonReadOnly) for cls in permission_classes)
        if {} not in auths and (not permission_classes or anonymous_reads):
            auths.append({})  # no credentials needed
        return auths

    def _get_filter_parameters(self):
        filters = getattr(getattr(self.view, "filterset_class", None), "base_filters", {})
        parameters = [with_empty_choice(parameter) for parameter in super()._get_filter_parameters()]
        for parameter in parameters:  # the bounds a filter enforces (`year` >= 0) are in the schema
            extra = getattr(filters.get(parameter["name"]), "extra", {})
            for bound, key in (("min_value", "minimum"), ("max_value", "maximum")):
                if extra.get(bound) is not None:
                    parameter.setdefault("schema", {})[key] = extra[bound]
        return parameters

    def _get_format_parameters(self):
        return [with_empty_choice(parameter) for parameter in super()._get_format_parameters()]


class EditorialAutoSchema(PortalAutoSchema):
    """A list answers with full items, or compact ones with `?brief=1`."""

    def get_response_serializers(self):
        view = self.view
        if getattr(view, "action", None) == "list" and getattr(view, "brief_serializer_class", None):
            model = view.filterset_class.Meta.model
            return PolymorphicProxySerializer(
                component_name=f"{model.__name__}ListItem",
                serializers=[view.list_serializer_class, view.brief_serializer_class],
                resource_type_field_name=None,
                many=True,
            )
        return super().get_response_serializers()


def any_of(node):
    """oneOf -> anyOf: a full item also satisfies the compact schema, so exactly-one would fail."""
    if isinstance(node, dict):
        return {("anyOf" if key == "oneOf" else key): any_of(value) for key, value in node.items()}
    if isinstance(node, list):
        return [any_of(item) for item in node]
    return node


def document_errors(result, generator, request, public):
    """Postprocessing hook: anyOf for alternatives, and the error responses of every operation."""
    result = any_of(result)
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            codes = READ_ERRORS if method == "get" else tuple(
                code for code in ERRORS if code != "412" or method in CONDITIONAL_WRITES)
            if method == "get" and {} not in operation.get("security", [{}]):
                codes = (*codes, "401", "403")  # a staff-only read
            for parameter in operation.get("parameters", []):
                schema = parameter.get("schema", {})
                if schema.get("type") == "string" and not ({"enum", "format", "pattern"} & set(schema)):
                    schema["pattern"] = TEXT_PARAMETER_PATTERN
            responses = operation.setdefault("responses", {})
            error_content = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
            takes_csv = any(parameter.get("name") == "format" and "csv" in parameter.get("schema", {}).get("enum", ())
                            for parameter in operation.get("parameters", []))
            if takes_csv or "text/csv" in responses.get("200", {}).get("content", {}):
                # With ?format=csv an error is written as CSV too: a `detail` column.
                error_content["text/csv"] = {"schema": {"type": "string"}}
            for code in codes:
                responses.setdefault(code, {"description": ERRORS[code], "content": error_content})
    return result
