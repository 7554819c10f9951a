"""Everything the path page shows, read in a fixed number of queries."""

from strategists.accounts.models import User
from strategists.curriculum import selectors
from strategists.curriculum.models import Certification, Evidence, Level
from strategists.curriculum.rules import approved_area_ids

CHART_ROW = 34
CHART_LABEL = 210
CHART_BAR = 300


def _chart(rows, rule) -> dict:
    """Geometry for the server-rendered SVG: one bar per area, ticks at each level."""
    step = CHART_BAR / 3
    bars = [
        {
            "y": 10 + index * CHART_ROW,
            "width": round(row["level"] * step, 1),
            "area": row["area"],
            "level": row["level"],
            "text_y": 10 + index * CHART_ROW + 19,
        }
        for index, row in enumerate(rows)
    ]
    return {
        "bars": bars,
        "height": 20 + len(rows) * CHART_ROW + 20,
        "label_width": CHART_LABEL,
        "width": CHART_LABEL + CHART_BAR + 20,
        "bar_height": 26,
        "ticks": [
            {"x": round(CHART_LABEL + level * step, 1), "label": f"L{level}"} for level in (1, 2, 3)
        ],
        "target_x": round(CHART_LABEL + rule.all_areas_level * step, 1),
        "axis_y": 20 + len(rows) * CHART_ROW,
    }


def path_context(person: User, *, viewer: User) -> dict:
    rule = selectors.certificate_rule()
    competencies = list(selectors.framework())
    areas = {}
    for competency in competencies:
        areas.setdefault(competency.area, {})[competency.level] = competency
    evidence = list(selectors.person_evidence(person))
    # An expert looking at someone else's path sees the evidence of their approved areas only
    # (levels stay visible: a sign-off needs them); the person and coordinators see it all.
    shown = evidence
    if viewer.pk != person.pk and not viewer.is_coordinator:
        areas_shown = approved_area_ids(viewer)
        shown = [
            e for e in evidence if e.competency_id is None or e.competency.area_id in areas_shown
        ]
    standing = selectors.person_standing(
        person, evidence=evidence, rule=rule, areas={area.pk: area.name for area in areas}
    )
    credentials = list(selectors.person_credentials(person))
    certification = Certification.objects.filter(person=person).first()
    wanted = [area.pk for area in areas if standing.levels.get(area.pk, 0) < Level.CONNECTOR]
    trainings = selectors.upcoming_trainings(wanted)
    experts = selectors.experts_for(wanted, exclude=person)
    rows = []
    for area, by_level in areas.items():
        level = standing.levels.get(area.pk, 0)
        rows.append(
            {
                "area": area,
                "level": level,
                "level_label": Level(level).label if level else "",
                "next": by_level.get(level + 1),
                "meets": level >= rule.all_areas_level,
                "evidence": [
                    e for e in shown if e.competency_id and e.competency.area_id == area.pk
                ],
                "credentials": [
                    c for c in credentials if c.competency_id and c.competency.area_id == area.pk
                ],
                "trainings": trainings.get(area.pk, []),
                "experts": experts.get(area.pk, []),
            }
        )
    return {
        "person": person,
        "is_self": person.pk == viewer.pk,
        "rows": rows,
        "standing": standing,
        "rule": rule,
        "chart": _chart(rows, rule),
        "certification": certification,
        "capstones": [e for e in shown if e.kind == Evidence.Kind.CAPSTONE],
        "certificate_credentials": [c for c in credentials if c.competency_id is None],
        "pending": [e for e in shown if e.status != Evidence.Status.APPROVED],
        "can_sign_off": viewer.has_perm("curriculum.sign_off", person),
        "can_review": viewer.has_perm("curriculum.review_queue"),
    }
