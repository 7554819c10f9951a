import importlib
import pkgutil

from django.urls import URLPattern, URLResolver, get_resolver

import tests


def _url_names(resolver, namespace=""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _url_names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            module = getattr(pattern.callback, "__module__", "") or ""
            if module.startswith(("strategists", "django.views.i18n", "django.contrib.auth")):
                yield f"{namespace}{pattern.name}"


def _matrix_url_names():
    names = set()
    for module_info in pkgutil.walk_packages(tests.__path__, "tests."):
        if module_info.name.endswith("test_permissions"):
            module = importlib.import_module(module_info.name)
            names |= {row.url_name for row in module.MATRIX}
    return names


def test_every_view_is_in_a_permission_matrix():
    missing = sorted(set(_url_names(get_resolver())) - _matrix_url_names())
    assert missing == []
