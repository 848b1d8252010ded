"""/api/docs/: the API's documentation, rendered on the server from the live OpenAPI schema.

Swagger UI and ReDoc load their scripts from a CDN (drf-spectacular-sidecar, which ships them, is not
a dependency here), and the site's network policy and CSP allow no third-party assets, so this page
is plain HTML: every endpoint with its parameters, and every response shape with its fields, from
the same schema /api/schema/ serves (so it cannot drift from it)."""

import functools

from django.conf import settings
from django.utils import translation
from django.views.generic import TemplateView
from drf_spectacular.generators import SchemaGenerator

REF = "#/components/schemas/"


def describe(schema, components):
    """A short text for a schema: ``string (date), nullable``, ``one of: a, b``, ``list of Link``."""
    if not schema:
        return "any"
    if "$ref" in schema:
        name = schema["$ref"].removeprefix(REF)
        target = components.get(name, {})
        return describe(target, components) if "enum" in target else name
    for combinator in ("oneOf", "anyOf", "allOf"):
        if combinator in schema:
            parts = [describe(part, components) for part in schema[combinator]]
            text = " or ".join(part for part in parts if part != "null")
            return text + (", nullable" if "null" in parts or schema.get("nullable") else "")
    return _describe_one(schema, components)


def _describe_one(schema, components):
    """The text for a schema that is neither a reference nor a combination."""
    if schema.get("enum") is not None:
        values = [value for value in schema["enum"] if value not in ("", None)]
        if not values:
            return "null"
        text = "one of: " + ", ".join(str(value) for value in values)
    elif schema.get("type") == "array":
        text = "list of " + describe(schema.get("items", {}), components)
    elif schema.get("type") == "object" and set(schema.get("properties", {})) == {"id", "url"}:
        text = f"link {{id: {schema['properties']['id']['type']}, url}}"
    else:
        text = schema.get("type", "object")
        if schema.get("format"):
            text += f" ({schema['format']})"
    return text + (", nullable" if schema.get("nullable") else "")


def _fields(schema, components):
    required = set(schema.get("required", []))
    return [
        {
            "name": name,
            "type": describe(prop, components),
            "description": prop.get("description", ""),
            "required": name in required,
        }
        for name, prop in schema.get("properties", {}).items()
    ]


@functools.lru_cache(maxsize=16)
def generated_schema(language, public):
    """The schema, generated once per process for each language and access mode (it depends on the
    code and those two only; generating it takes a good part of a second)."""
    return SchemaGenerator().get_schema(request=None, public=True)


class ApiDocsView(TemplateView):
    template_name = "api/docs.html"

    def get_context_data(self, **kwargs):
        schema = generated_schema(translation.get_language(), settings.SPP_PUBLIC_READ)
        components = schema.get("components", {}).get("schemas", {})
        operations = []
        for path, item in schema["paths"].items():
            for method, operation in item.items():
                ok = operation["responses"].get("200", {}).get("content", {}).get("application/json", {})
                operations.append(
                    {
                        "method": method.upper(),
                        "path": path,
                        "id": operation["operationId"],
                        "description": operation.get("description", ""),
                        "returns": describe(ok.get("schema"), components),
                        "parameters": [
                            {
                                "name": parameter["name"],
                                "in": parameter["in"],
                                "type": describe(parameter.get("schema"), components),
                                "description": parameter.get("description", ""),
                                "repeat": parameter.get("explode", parameter["in"] == "query")
                                and parameter.get("schema", {}).get("type") == "array",
                            }
                            for parameter in operation.get("parameters", [])
                        ],
                        "errors": [code for code in operation["responses"] if code != "200"],
                    }
                )
        shapes = [
            {
                "name": name,
                "description": component.get("description", ""),
                "fields": _fields(component, components),
            }
            for name, component in components.items()
            if component.get("type") == "object" and component.get("properties")
        ]
        return super().get_context_data(info=schema["info"], operations=operations, shapes=shapes, **kwargs)
