"""The certificate rule as plain functions: levels reached, what is missing, the rule in words."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

LEVEL_NAMES = {1: "L1 Practitioner", 2: "L2 Strategist", 3: "L3 Connector"}


@dataclass(frozen=True)
class Rule:
    all_areas_level: int = 2
    advanced_level: int = 3
    advanced_areas: int = 2
    capstone_required: bool = True


@dataclass
class Standing:
    """Where one person stands against the rule."""

    levels: dict[str, int]
    capstone_approved: bool
    missing: list[str] = field(default_factory=list)

    @property
    def meets_rule(self) -> bool:
        return not self.missing


def levels_reached(approved: Iterable[tuple[str, int]]) -> dict[str, int]:
    """(area id, level) of approved evidence -> the highest level per area."""
    levels: dict[str, int] = {}
    for area_id, level in approved:
        levels[area_id] = max(level, levels.get(area_id, 0))
    return levels


def standing(
    *, levels: Mapping[str, int], capstone_approved: bool, rule: Rule, areas: Mapping[str, str]
) -> Standing:
    """``areas`` maps every area id to its display name, in framework order."""
    missing = []
    below = [
        name for area_id, name in areas.items() if levels.get(area_id, 0) < rule.all_areas_level
    ]
    if below:
        missing.append(
            _("%(level)s in: %(areas)s")
            % {"level": LEVEL_NAMES[rule.all_areas_level], "areas": ", ".join(below)}
        )
    advanced = sum(1 for area_id in areas if levels.get(area_id, 0) >= rule.advanced_level)
    if advanced < rule.advanced_areas:
        short = rule.advanced_areas - advanced
        missing.append(
            ngettext(
                "%(level)s in %(count)d more area",
                "%(level)s in %(count)d more areas",
                short,
            )
            % {"level": LEVEL_NAMES[rule.advanced_level], "count": short}
        )
    if rule.capstone_required and not capstone_approved:
        missing.append(_("An approved capstone: a digital organizing plan for a real organization"))
    return Standing(dict(levels), capstone_approved, missing)


def rule_text(rule) -> str:
    """The rule in English, as signed into certificate credentials."""
    parts = [f"{LEVEL_NAMES[rule.all_areas_level]} in all ten areas of the framework"]
    if rule.advanced_areas:
        parts.append(f"{LEVEL_NAMES[rule.advanced_level]} in at least {rule.advanced_areas}")
    if rule.capstone_required:
        parts.append(
            "an approved capstone: a digital organizing plan for a real organization, "
            "reviewed by an expert"
        )
    return ", ".join(parts[:-1]) + (" and " if len(parts) > 1 else "") + parts[-1] + "."
