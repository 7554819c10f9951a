"""The OpenAPI schema at /api/schema/ (drf-spectacular), kept accurate enough for schemathesis
(tests/api/test_schemathesis.py): every error an operation can answer is documented, in the
API's one error shape, and ids and page numbers have their bounds."""

# The largest id a database key holds (BigAutoField); larger ids are simply not found.
MAX_ID = 2**63 - 1
ERROR = {
    "type": "object",
    "properties": {
        "error": {"type": "string"},
        "field": {"type": "string", "nullable": True},
        "errors": {"type": "object"},
    },
    "required": ["error", "field"],
}
ERRORS = {
    "400": "The request is malformed, or a field is unknown, read-only or invalid (named).",
    "401": "No token, or a token that isn't valid.",
    "403": "The token's person may not do this (the reason is given).",
    "404": "Nothing with this id, or nothing this person may see.",
    "405": "This method isn't allowed here.",
    "409": "The request conflicts with the state of the resource.",
    "413": "The body is too big.",
    "415": "The body isn't JSON.",
    "429": "Too many requests with this token; try again later.",
}


def hide_slash_aliases(endpoints, **kwargs):
    return [
        endpoint
        for endpoint in endpoints
        if not getattr(endpoint[3], "initkwargs", {}).get("slash_alias")
    ]


SCHEMA_SETTINGS = {
    "PREPROCESSING_HOOKS": ["strategists.api.schema.hide_slash_aliases"],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "strategists.api.schema.document_errors",
    ],
    "SCHEMA_PATH_PREFIX": r"/api/v2",
}


def document_errors(result, generator, request, public):
    """Every operation may answer the errors in ERRORS, as an ERROR body."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR
    reference = {"$ref": "#/components/schemas/Error"}
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            for code, description in ERRORS.items():
                operation["responses"].setdefault(
                    code,
                    {
                        "description": description,
                        "content": {
                            media: {"schema": reference}
                            for media in ("application/hal+json", "application/json")
                        },
                    },
                )
            for parameter in operation.get("parameters", []):
                if parameter["name"] in {"page", "per_page"}:
                    parameter["schema"] = {"type": "integer", "minimum": 1, "maximum": 100000}
                elif parameter["in"] == "path" and parameter["schema"].get("type") == "integer":
                    parameter["schema"] = {"type": "integer", "minimum": 1, "maximum": MAX_ID}
    return result
