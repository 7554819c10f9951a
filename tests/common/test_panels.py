"""Higher apps add sections to lower apps' pages through named slots, in the order of their names."""

from strategists.common import panels


def test_panels_render_in_name_order_and_an_empty_slot_renders_nothing(monkeypatch):
    monkeypatch.setattr(panels, "_renderers", {})
    panels.register("page", "zeta", lambda request, obj: f"<z>{obj}</z>")
    panels.register("page", "alpha", lambda request, obj: f"<a>{obj}</a>")
    panels.register("page", "silent", lambda request, obj: "")

    assert panels.render("page", None, 7) == "<a>7</a><z>7</z>"
    assert panels.render("nothing-here", None, 7) == ""


def test_registering_a_name_again_replaces_it(monkeypatch):
    monkeypatch.setattr(panels, "_renderers", {})
    panels.register("page", "one", lambda request, obj: "old")
    panels.register("page", "one", lambda request, obj: "new")

    assert panels.render("page", None, None) == "new"
