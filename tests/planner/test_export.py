from strategists.planner.core import load_instance
from strategists.planner.export import build_instance

TOPICS = [
    "digital-strategy",
    "email-and-lists",
    "social-media",
    "communications-and-media",
    "web-and-cms",
    "data-and-crm",
    "analytics-and-testing",
    "online-to-offline",
    "digital-security",
    "tools-vendors-budgets",
]
REGIONS = [
    "new-england",
    "mid-atlantic",
    "east-north-central",
    "west-north-central",
    "south-atlantic",
    "east-south-central",
    "west-south-central",
    "mountain",
    "pacific",
    "canada-west",
    "canada-east",
]


def expected(p) -> dict:
    window = [{"start": "2027-03-01", "end": "2027-04-10"}]
    year = [{"start": "2027-03-06", "end": "2027-04-03"}]
    return {
        "name": "Tour 2027",
        "start_date": "2027-03-06",
        "slots": 3,
        "cadence_days": 14,
        "topics": TOPICS,
        "regions": [
            {
                "id": r,
                "min_events": 1 if r == "east-north-central" else 0,
                "max_events": 2 if r == "east-north-central" else 3,
            }
            for r in REGIONS
        ],
        "cities": [
            # Ordered by GeoNames id: Chicago, Detroit, Toronto. Demand = active people there
            # (Toronto also counts the person without a city whose organization is there).
            {
                "id": str(p.chicago.pk),
                "name": "Chicago, IL",
                "region": "east-north-central",
                "lat": p.chicago.latitude,
                "lon": p.chicago.longitude,
                "demand": 2,
            },
            {
                "id": str(p.detroit.pk),
                "name": "Detroit, MI",
                "region": "east-north-central",
                "lat": p.detroit.latitude,
                "lon": p.detroit.longitude,
                "demand": 4,
            },
            {
                "id": str(p.toronto.pk),
                "name": "Toronto, ON",
                "region": "canada-east",
                "lat": p.toronto.latitude,
                "lon": p.toronto.longitude,
                "demand": 3,
            },
        ],
        "hosts": [
            {
                "id": f"event-{p.detroit_event.pk}",
                "organization": "Detroit Workers",
                "city": str(p.detroit.pk),
                "windows": window,
                "topics_needed": ["email-and-lists"],
            },
            {
                "id": f"event-{p.chicago_event.pk}",
                "organization": "Chicago Workers",
                "city": str(p.chicago.pk),
                "windows": [{"start": "2027-03-20", "end": "2027-03-20"}],
                "topics_needed": ["social-media"],
            },
            {
                "id": f"event-{p.toronto_event.pk}",
                "organization": "Toronto Workers",
                "city": str(p.toronto.pk),
                "windows": window,
                "topics_needed": ["email-and-lists"],
            },
        ],
        "conflicts": [
            {
                "name": "Labor Notes",
                "start": "2027-04-02",
                "end": "2027-04-04",
                "regions": ["canada-east"],
                "buffer_days": 0,
            }
        ],
        "trainers": [
            {
                "id": f"trainer-{p.tara.pk}",
                "name": "Tara Trainer",
                "city": str(p.chicago.pk),
                "topics": ["email-and-lists", "social-media"],
                "available": [{"start": "2027-03-10", "end": "2027-04-03"}],
                "max_events": 3,
            },
            {
                "id": f"trainer-{p.bo.pk}",
                "name": "Bo Trainer",
                "city": str(p.detroit.pk),
                "topics": ["email-and-lists", "social-media", "digital-security"],
                "available": year,
                "max_events": 2,
            },
            {
                "id": f"trainer-{p.cam.pk}",
                "name": "Cam Trainer",
                "city": str(p.toronto.pk),
                "topics": ["email-and-lists"],
                "available": year,
                "max_events": 1,
            },
        ],
        "rules": {
            "trainers_min": 1,
            "trainers_max": 2,
            "reach_decay_km": 150.0,
            "reach_radius_km": 400.0,
            "trainer_max_km": 1000.0,
            "travel_weight": 0.01,
            "no_consecutive_region": False,
        },
    }


def test_export_equals_hand_built_instance(program):
    assert build_instance(program.year) == expected(program)


def test_export_loads_in_the_core(program):
    instance = load_instance(build_instance(program.year))
    assert (len(instance.hosts), len(instance.trainers), len(instance.cities)) == (3, 3, 3)
