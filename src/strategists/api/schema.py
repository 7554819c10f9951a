"""The OpenAPI schema at /api/schema/ (drf-spectacular)."""


def hide_slash_aliases(endpoints, **kwargs):
    return [
        endpoint
        for endpoint in endpoints
        if not getattr(endpoint[3], "initkwargs", {}).get("slash_alias")
    ]


SCHEMA_SETTINGS = {
    "PREPROCESSING_HOOKS": ["strategists.api.schema.hide_slash_aliases"],
    "SCHEMA_PATH_PREFIX": r"/api/v2",
}
