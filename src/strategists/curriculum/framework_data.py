"""The framework as first published: ten areas x three levels. A data migration loads it;
coordinators edit the rows afterwards, so this module is only the starting point.

The texts are stored in English and marked with gettext_noop, so makemessages puts them in the
catalog; Competency.can_do_text / evidence_text translate them when shown (an edited text has no
translation and is shown as written)."""

from django.utils.translation import gettext_noop as _  # marked for makemessages, stored in English

# area id: (L1 can, L2 can, L3 can, evidence)
FRAMEWORK = {
    "digital-strategy": (
        _("Explain a theory of change, targets and the ladder of engagement."),
        _("Write a digital organizing plan with goals, metrics and a budget."),
        _("Audit another local's digital program."),
        _("A plan; a simulation debrief."),
    ),
    "email-and-lists": (
        _("Write and send a segmented email."),
        _("Run a list program: welcome series, list hygiene, deliverability."),
        _("Diagnose deliverability problems; recommend platforms."),
        _("Emails and their metrics."),
    ),
    "social-media": (
        _("Post, moderate and respond."),
        _("Plan organic and paid campaigns and rapid response."),
        _("Advise on platform shifts and harassment."),
        _("A content calendar; an ad report."),
    ),
    "communications-and-media": (
        _("Tell a story; make captioned graphics and video."),
        _("Run a narrative strategy and a member-storyteller pipeline."),
        _("Coach spokespeople; commission producers."),
        _("A portfolio."),
    ),
    "web-and-cms": (
        _("Edit pages and forms; embed tools."),
        _("Plan a site: accessibility, analytics, hosting, backups."),
        _("Lead a CMS or vendor selection; write the RFP."),
        _("A site audit; an RFP."),
    ),
    "data-and-crm": (
        _("Clean and import lists; update records."),
        _("Design membership database and CRM flows, sharing rules and privacy."),
        _("Assess data systems; recommend integrators."),
        _("A data map."),
    ),
    "analytics-and-testing": (
        _("Read dashboards; run an A/B test."),
        _("Set KPIs beyond vanity metrics; report to leadership."),
        _("Build cross-union benchmarks."),
        _("A test write-up."),
    ),
    "online-to-offline": (
        _("Run text and phone banks and event follow-up."),
        _("Turn sign-ups into one-on-ones, meetings and actions."),
        _("Design multi-local structures."),
        _("Funnel data."),
    ),
    "digital-security": (
        _("Use 2FA, a password manager and Signal; spot phishing."),
        _("Lead threat modeling; write policies."),
        _("Handle incidents; refer to helpdesks."),
        _("A threat model."),
    ),
    "tools-vendors-budgets": (
        _("List the tools in use and their costs."),
        _("Build a digital budget; compare vendors; protect data ownership."),
        _("Broker peers, listservs and consultants."),
        _("A budget; a vendor comparison."),
    ),
}


def load_framework(Competency, CertificateRule, SkillArea) -> None:
    """Create missing rows only: never overwrite what coordinators have edited."""
    for area in SkillArea.objects.filter(id__in=FRAMEWORK):
        *levels, evidence = FRAMEWORK[area.id]
        for level, can_do in enumerate(levels, start=1):
            Competency.objects.get_or_create(
                area=area, level=level, defaults={"can_do": can_do, "evidence": evidence}
            )
    CertificateRule.objects.get_or_create(pk=1)
