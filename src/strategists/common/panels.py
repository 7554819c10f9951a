"""Places on a lower app's page where a higher app may add a section, without being imported.

A page names a slot and the object it shows (`{% panels "training" event %}` on the training
page, `{% panels "skill_area" area %}` on the framework); an app above registers a renderer for
the slot in its `AppConfig.ready`. The lower app never names the higher one: the import direction
(tests/test_import_direction.py) holds, and a page with no panel registered shows nothing.
"""

from collections.abc import Callable

# renderer(request, obj) -> HTML (already escaped, e.g. from render_to_string) or "".
Renderer = Callable[..., str]

_renderers: dict[str, dict[str, Renderer]] = {}


def register(slot: str, name: str, renderer: Renderer) -> None:
    """Add (or replace, by name) the renderer `name` for `slot`."""
    _renderers.setdefault(slot, {})[name] = renderer


def render(slot: str, request, obj) -> str:
    """Every registered panel of the slot, in the order of their names."""
    return "".join(
        renderer(request, obj) or "" for _, renderer in sorted(_renderers.get(slot, {}).items())
    )
