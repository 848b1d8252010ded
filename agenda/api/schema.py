"""OpenAPI schema (drf-spectacular) additions: the link fields' shape, the error answers every
operation can give, and anonymous access when ``SPP_PUBLIC_READ`` is on. The schema describes the
deployment it is served by; tests/api/test_schemathesis.py checks the live API against it."""

from django.conf import settings
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.openapi import AutoSchema

ERROR = {"type": "object", "properties": {"detail": {"type": "string"}}, "required": ["detail"]}
PARAMETER_ERRORS = {
    "type": "object",
    "description": "Each bad parameter with its messages (the list page shows the same ones).",
    "additionalProperties": {"type": "array", "items": {"type": "string"}},
}
ERROR_RESPONSES = {
    "400": ("A parameter is not valid: each one is named with the fix.", PARAMETER_ERRORS),
    "401": ("Not logged in, and the record is not public: send a token or log in.", ERROR),
    "403": ("Logged in without the permission to read the record.", ERROR),
    "404": ("No such row (or it does not match the filters given).", ERROR),
    "429": ("Too many requests: wait the seconds the Retry-After header gives.", ERROR),
}


class RecordAutoSchema(AutoSchema):
    def get_auth(self):
        auths = super().get_auth()
        if settings.SPP_PUBLIC_READ and {} not in auths:
            auths.append({})  # anonymous visitors may read
        return auths

    def _get_filter_parameters(self):
        """A single-value filter may be sent empty, meaning "any", as the list page's form sends it."""
        parameters = super()._get_filter_parameters()
        for parameter in parameters:
            schema = parameter.get("schema", {})
            if schema.get("type") == "array":
                continue
            if "enum" in schema:
                schema["enum"] = [*schema["enum"], ""] if "" not in schema["enum"] else schema["enum"]
            elif "format" in schema:
                parameter["schema"] = {"oneOf": [schema, {"type": "string", "maxLength": 0}]}
        return parameters

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if self.method == "GET":
            for code, (description, schema) in ERROR_RESPONSES.items():
                responses.setdefault(
                    code, {"description": description, "content": {"application/json": {"schema": schema}}}
                )
        return responses


class LinkFieldExtension(OpenApiSerializerFieldExtension):
    target_class = "agenda.api.fields.LinkField"
    match_subclasses = True  # KeyLinkField too

    def map_serializer_field(self, auto_schema, direction):
        identifier = {"type": "integer"} if self.target.lookup_field == "pk" else {"type": "string"}
        return {
            "type": "object",
            "properties": {"id": identifier, "url": {"type": "string", "format": "uri"}},
            "required": ["id", "url"],
        }


class ListLinkFieldExtension(OpenApiSerializerFieldExtension):
    target_class = "agenda.api.fields.ListLinkField"

    def map_serializer_field(self, auto_schema, direction):
        return {"type": "string", "format": "uri"}


class PageLinkFieldExtension(ListLinkFieldExtension):
    target_class = "agenda.api.fields.PageLinkField"


class SelfLinkFieldExtension(ListLinkFieldExtension):
    target_class = "agenda.api.fields.SelfLinkField"
