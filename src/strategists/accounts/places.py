"""Where is "near me"? A US ZIP code, a Canadian postal prefix, or a city name; all offline."""

import re
from dataclasses import dataclass

from strategists.accounts.selectors import city_from_label

# The first letter of a Canadian postal code names a province or part of one; we place it at
# that area's main city. Coarse, but enough to sort trainings by distance.
POSTAL_DISTRICTS = {
    "A": "St. John's, NL",
    "B": "Halifax, NS",
    "C": "Charlottetown, PE",
    "E": "Moncton, NB",
    "G": "Québec, QC",
    "H": "Montréal, QC",
    "J": "Sherbrooke, QC",
    "K": "Ottawa, ON",
    "L": "Mississauga, ON",
    "M": "Toronto, ON",
    "N": "London, ON",
    "P": "Sudbury, ON",
    "R": "Winnipeg, MB",
    "S": "Saskatoon, SK",
    "T": "Calgary, AB",
    "V": "Vancouver, BC",
    "X": "Yellowknife, NT",
    "Y": "Whitehorse, YT",
}
US_ZIP = re.compile(r"^\d{5}(-\d{4})?$")
CANADIAN_PREFIX = re.compile(r"^([ABCEGHJKLMNPRSTVXY])\d[A-Z]?(\s?\d[A-Z]\d)?$", re.IGNORECASE)


@dataclass(frozen=True)
class Place:
    latitude: float
    longitude: float
    label: str


def place_from_query(query: str) -> Place | None:
    query = (query or "").strip()[:80]
    if not query:
        return None
    if US_ZIP.match(query):
        import zipcodes

        try:
            matches = zipcodes.matching(query[:5])
        except (TypeError, ValueError):
            matches = []
        if matches:
            match = matches[0]
            return Place(
                float(match["lat"]),
                float(match["long"]),
                f"{match['city']}, {match['state']} {query[:5]}",
            )
        return None
    if match := CANADIAN_PREFIX.match(query):
        city = city_from_label(POSTAL_DISTRICTS[match.group(1).upper()])
        if city:
            return Place(city.latitude, city.longitude, f"{query.upper()} ({city})")
        return None
    city = city_from_label(query)
    if city:
        return Place(city.latitude, city.longitude, str(city))
    return None
