"""The framework as first published: ten areas x three levels. A data migration loads it;
coordinators edit the rows afterwards, so this module is only the starting point."""

# area id: (L1 can, L2 can, L3 can, evidence)
FRAMEWORK = {
    "digital-strategy": (
        "Explain a theory of change, targets and the ladder of engagement.",
        "Write a digital organizing plan with goals, metrics and a budget.",
        "Audit another local's digital program.",
        "A plan; a simulation debrief.",
    ),
    "email-and-lists": (
        "Write and send a segmented email.",
        "Run a list program: welcome series, list hygiene, deliverability.",
        "Diagnose deliverability problems; recommend platforms.",
        "Emails and their metrics.",
    ),
    "social-media": (
        "Post, moderate and respond.",
        "Plan organic and paid campaigns and rapid response.",
        "Advise on platform shifts and harassment.",
        "A content calendar; an ad report.",
    ),
    "communications-and-media": (
        "Tell a story; make captioned graphics and video.",
        "Run a narrative strategy and a member-storyteller pipeline.",
        "Coach spokespeople; commission producers.",
        "A portfolio.",
    ),
    "web-and-cms": (
        "Edit pages and forms; embed tools.",
        "Plan a site: accessibility, analytics, hosting, backups.",
        "Lead a CMS or vendor selection; write the RFP.",
        "A site audit; an RFP.",
    ),
    "data-and-crm": (
        "Clean and import lists; update records.",
        "Design membership database and CRM flows, sharing rules and privacy.",
        "Assess data systems; recommend integrators.",
        "A data map.",
    ),
    "analytics-and-testing": (
        "Read dashboards; run an A/B test.",
        "Set KPIs beyond vanity metrics; report to leadership.",
        "Build cross-union benchmarks.",
        "A test write-up.",
    ),
    "online-to-offline": (
        "Run text and phone banks and event follow-up.",
        "Turn sign-ups into one-on-ones, meetings and actions.",
        "Design multi-local structures.",
        "Funnel data.",
    ),
    "digital-security": (
        "Use 2FA, a password manager and Signal; spot phishing.",
        "Lead threat modeling; write policies.",
        "Handle incidents; refer to helpdesks.",
        "A threat model.",
    ),
    "tools-vendors-budgets": (
        "List the tools in use and their costs.",
        "Build a digital budget; compare vendors; protect data ownership.",
        "Broker peers, listservs and consultants.",
        "A budget; a vendor comparison.",
    ),
}


def load_framework(Competency, CertificateRule, SkillArea) -> None:
    """Create missing rows only: never overwrite what coordinators have edited."""
    for area in SkillArea.objects.filter(id__in=FRAMEWORK):
        *levels, evidence = FRAMEWORK[area.id]
        for level, can_do in enumerate(levels, start=1):
            Competency.objects.get_or_create(
                area=area, level=level, defaults={"can_do": can_do, "evidence": evidence})
    CertificateRule.objects.get_or_create(pk=1)
