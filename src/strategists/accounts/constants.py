"""Shared vocabularies: constituencies, roles, regions, skill areas. Ids are stable contracts."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class OrganizationType(models.TextChoices):
    INTERNATIONAL_UNION = "international-union", _("International union")
    STATE_FEDERATION = "state-federation", _("State labor federation")
    CENTRAL_LABOR_COUNCIL = "central-labor-council", _("Central labor council")
    LOCAL_UNION = "local-union", _("Local union")
    CAMPAIGN_OR_AFFILIATE = "campaign-or-affiliate", _("Labor campaign or affiliate")
    WORKER_CENTER = "worker-center", _("Worker center")
    NON_UNION_LABOR = "non-union-labor", _("Non-union labor organization")
    ONLINE_PROGRESSIVE = "online-progressive", _("Online progressive organization")
    LABOR_VENDOR = "labor-vendor", _("Labor-focused vendor")
    CONSULTING_FIRM = "consulting-firm", _("Web, strategy or consulting firm")
    LABOR_STUDIES = "labor-studies", _("Labor studies program")
    LABOR_MEDIA = "labor-media", _("Labor media")
    STUDENT_GROUP = "student-group", _("Student group")
    CANADIAN_COUNTERPART = "canadian-counterpart", _("Canadian counterpart")
    OTHER = "other", _("Other")


class Role(models.TextChoices):
    WEBMASTER = "webmaster", _("Webmaster")
    ONLINE_CAMPAIGNER = "online-campaigner", _("Online campaigner")
    COMMUNICATIONS = "communications", _("Communications")
    ORGANIZER = "organizer", _("Organizer")
    ELECTED_LEADER = "elected-leader", _("Elected leader")
    STAFF = "staff", _("Staff")
    ACADEMIC = "academic", _("Academic")
    JOURNALIST = "journalist", _("Journalist")
    STUDENT = "student", _("Student")
    INTERN = "intern", _("Intern")
    VENDOR = "vendor", _("Vendor")
    CONSULTANT = "consultant", _("Consultant")
    VOLUNTEER = "volunteer", pgettext_lazy("a person's role", "Volunteer")


# (id, name, country, states or provinces). The nine US census divisions, and Canada split in two.
REGIONS = [
    ("new-england", _("New England"), "US", ["CT", "ME", "MA", "NH", "RI", "VT"]),
    ("mid-atlantic", _("Mid-Atlantic"), "US", ["NJ", "NY", "PA"]),
    ("east-north-central", _("East North Central"), "US", ["IL", "IN", "MI", "OH", "WI"]),
    (
        "west-north-central",
        _("West North Central"),
        "US",
        ["IA", "KS", "MN", "MO", "NE", "ND", "SD"],
    ),
    (
        "south-atlantic",
        _("South Atlantic"),
        "US",
        ["DE", "DC", "FL", "GA", "MD", "NC", "SC", "VA", "WV"],
    ),
    ("east-south-central", _("East South Central"), "US", ["AL", "KY", "MS", "TN"]),
    ("west-south-central", _("West South Central"), "US", ["AR", "LA", "OK", "TX"]),
    ("mountain", _("Mountain"), "US", ["AZ", "CO", "ID", "MT", "NV", "NM", "UT", "WY"]),
    ("pacific", _("Pacific"), "US", ["AK", "CA", "HI", "OR", "WA"]),
    ("canada-west", _("Canada West"), "CA", ["BC", "AB", "SK", "MB", "YT", "NT", "NU"]),
    ("canada-east", _("Canada East"), "CA", ["ON", "QC", "NB", "NS", "PE", "NL"]),
]

# GeoNames admin1 codes of Canadian provinces and territories.
CANADA_ADMIN1 = {
    "01": "AB",
    "02": "BC",
    "03": "MB",
    "04": "NB",
    "05": "NL",
    "07": "NS",
    "08": "ON",
    "09": "PE",
    "10": "QC",
    "11": "SK",
    "12": "YT",
    "13": "NT",
    "14": "NU",
}

SUBDIVISION_NAMES = {
    "AL": "Alabama",
    "AK": "Alaska",
    "AZ": "Arizona",
    "AR": "Arkansas",
    "CA": "California",
    "CO": "Colorado",
    "CT": "Connecticut",
    "DE": "Delaware",
    "DC": "District of Columbia",
    "FL": "Florida",
    "GA": "Georgia",
    "HI": "Hawaii",
    "ID": "Idaho",
    "IL": "Illinois",
    "IN": "Indiana",
    "IA": "Iowa",
    "KS": "Kansas",
    "KY": "Kentucky",
    "LA": "Louisiana",
    "ME": "Maine",
    "MD": "Maryland",
    "MA": "Massachusetts",
    "MI": "Michigan",
    "MN": "Minnesota",
    "MS": "Mississippi",
    "MO": "Missouri",
    "MT": "Montana",
    "NE": "Nebraska",
    "NV": "Nevada",
    "NH": "New Hampshire",
    "NJ": "New Jersey",
    "NM": "New Mexico",
    "NY": "New York",
    "NC": "North Carolina",
    "ND": "North Dakota",
    "OH": "Ohio",
    "OK": "Oklahoma",
    "OR": "Oregon",
    "PA": "Pennsylvania",
    "RI": "Rhode Island",
    "SC": "South Carolina",
    "SD": "South Dakota",
    "TN": "Tennessee",
    "TX": "Texas",
    "UT": "Utah",
    "VT": "Vermont",
    "VA": "Virginia",
    "WA": "Washington",
    "WV": "West Virginia",
    "WI": "Wisconsin",
    "WY": "Wyoming",
    "AB": "Alberta",
    "BC": "British Columbia",
    "MB": "Manitoba",
    "NB": "New Brunswick",
    "NL": "Newfoundland and Labrador",
    "NS": "Nova Scotia",
    "ON": "Ontario",
    "PE": "Prince Edward Island",
    "QC": "Quebec",
    "SK": "Saskatchewan",
    "YT": "Yukon",
    "NT": "Northwest Territories",
    "NU": "Nunavut",
}

# The ten skill areas every part of the platform shares. Ids are stable contracts.
SKILL_AREAS = [
    ("digital-strategy", _("Digital strategy")),
    ("email-and-lists", _("Email and lists")),
    ("social-media", _("Social media")),
    ("communications-and-media", _("Communications and media")),
    ("web-and-cms", _("Web and CMS")),
    ("data-and-crm", _("Data and CRM")),
    ("analytics-and-testing", _("Analytics and testing")),
    ("online-to-offline", _("Online to offline")),
    ("digital-security", _("Digital security")),
    ("tools-vendors-budgets", _("Tools, vendors and budgets")),
]

LANGUAGES = [
    ("en", _("English")),
    ("es", _("Spanish")),
    ("fr", _("French")),
    ("zh", _("Chinese")),
    ("vi", _("Vietnamese")),
    ("tl", _("Tagalog")),
    ("ko", _("Korean")),
    ("ht", _("Haitian Creole")),
    ("pt", _("Portuguese")),
    ("ar", _("Arabic")),
    ("asl", _("American Sign Language")),
]
