"""Where to go: resources, reviews, questions to experts, and the search index beside them."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from strategists.accounts.models import SkillArea
from strategists.common.models import TimeStampedModel

# The one limit on a question's length, wherever it is typed: the ask box, the question form, the
# ``ask`` command (which cuts longer input here) and the stored question.
QUESTION_MAX_CHARS = 500


class Kind(models.TextChoices):
    SOFTWARE = "software", _("Software")
    SERVICE = "service", _("Service")
    VENDOR = "vendor", _("Vendor")
    CONSULTANT = "consultant", _("Consultant")
    LISTSERV = "listserv", _("Listserv")
    PLUGIN = "plugin", _("Plugin")
    GUIDE = "guide", _("Guide")
    COMMUNITY = "community", _("Community")
    TRAINING = "training", _("Training")
    DATASET = "dataset", _("Dataset")


class Cost(models.TextChoices):
    FREE = "free", _("Free")
    FREEMIUM = "freemium", _("Freemium")
    PAID = "paid", _("Paid")
    MEMBERSHIP = "membership", _("Membership")
    DONATION = "donation", _("Donation")


class Resource(TimeStampedModel):
    """A listserv, colleague, consultant, vendor, plugin, tool or guide worth knowing about.

    ``public_id`` ("R012") is the identifier people and files use; it survives import/export.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for review")
        APPROVED = "approved", _("Listed")
        RETIRED = "retired", _("Retired")
        MERGED = "merged", _("Merged")

    public_id = models.CharField(_("id"), max_length=20, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    name = models.CharField(_("name"), max_length=200)
    url = models.URLField(_("web address"), max_length=500, blank=True)
    summary = models.CharField(_("summary"), max_length=300)
    description = models.TextField(_("description"), max_length=5000, blank=True)
    skill_areas = models.ManyToManyField(
        SkillArea, verbose_name=_("skill areas"), related_name="resources"
    )
    tags = models.JSONField(_("tags"), default=list, blank=True)
    cost = models.CharField(_("cost"), max_length=20, choices=Cost)
    region = models.CharField(
        _("region served"),
        max_length=80,
        default="us",
        help_text=_("us, canada, international, or a US state or Canadian province by name."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status, default=Status.PENDING, db_index=True
    )
    suggested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("suggested by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="suggested_resources",
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="merged_from",
    )
    retired_reason = models.CharField(_("why it was retired"), max_length=300, blank=True)
    # Who wrote the current web address: they may not be the one who lets it go public.
    url_set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["name", "pk"]
        indexes = [
            models.Index(fields=["status", "kind"]),
            models.Index(fields=["status", "cost"]),
            models.Index(fields=["status", "region"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="merged") | Q(merged_into__isnull=False),
                name="merged_resource_has_target",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_listed(self) -> bool:
        return self.status == self.Status.APPROVED

    def as_record(self, skill_areas=None) -> dict:
        """The resources.jsonl form (id, kind, name, url, summary, description, ...)."""
        if skill_areas is None:
            skill_areas = sorted(area.pk for area in self.skill_areas.all())
        return {
            "id": self.public_id,
            "kind": self.kind,
            "name": self.name,
            "url": self.url,
            "summary": self.summary,
            "description": self.description,
            "skill_areas": list(skill_areas),
            "tags": list(self.tags),
            "cost": self.cost,
            "region": self.region,
        }


class ResourceChange(TimeStampedModel):
    """A curator's change to the web address of a resource the public sees. It takes effect only
    when a second curator approves it; until then the resource page shows the old address."""

    # The fields where a changed value could send people somewhere else.
    LINK_FIELDS = ("url",)

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for a second curator")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="changes")
    previous = models.JSONField(_("values before"), default=dict)
    proposed = models.JSONField(_("proposed values"), default=dict)
    state = models.CharField(max_length=10, choices=State, default=State.PENDING, db_index=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="proposed_resource_changes",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["resource"],
                condition=Q(state="pending"),
                name="one_pending_change_per_resource",
            ),
        ]

    def __str__(self):
        return f"{self.resource}: {self.previous.get('url', '')} -> {self.proposed.get('url', '')}"

    @property
    def is_pending(self) -> bool:
        return self.state == self.State.PENDING


class ResourceIndex(models.Model):
    """What the ask feature needs of one listed resource: the core's analysed ``ResourceDoc`` as
    JSON, and where the resource serves (``Resource.region``: a country, "international", or a
    state or province by name), indexed so that a question naming a place finds it."""

    resource = models.OneToOneField(
        Resource, primary_key=True, on_delete=models.CASCADE, related_name="index"
    )
    served = models.CharField(max_length=80, db_index=True)
    # The hot path reads these two instead of ``doc``: a small JSON head (everything but the term
    # frequencies) and " stem:c,c,c,c,c" pairs, so ranking parses only the stems a question has.
    # They come before ``doc`` so that SQLite reads them without walking doc's overflow pages.
    head = models.TextField()
    tf_text = models.TextField()
    doc = models.JSONField()

    def __str__(self):
        return f"index of {self.resource_id}"


class ResourcePosting(models.Model):
    """One stem of one listed resource and how strongly the resource matches it: the BM25F
    saturation ``mixed / (k1 + mixed)`` of its length-normalised, field-weighted counts (the core's
    impact without the idf, which is the same for every row of a stem and applied at query time).

    The index on (term, impact descending) makes each stem an impact-ordered posting list: the
    candidate query reads only the best rows of each question stem, as the core's in-memory engine
    does, instead of scoring every resource that shares a word with the question."""

    pk = models.CompositePrimaryKey("resource_id", "term")
    resource = models.ForeignKey(
        Resource,
        on_delete=models.CASCADE,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )
    term = models.TextField()
    impact = models.FloatField()

    class Meta:
        indexes = [
            models.Index(fields=["term", "-impact", "resource"], name="referrals_posting_impact")
        ]

    def __str__(self):
        return f"{self.term} in {self.resource_id}"


class SearchState(models.Model):
    """One row: the core's ``CorpusStats`` over listed resources, and a version that moves on
    every write so each process knows when to reload its cached statistics and speller."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    version = models.PositiveBigIntegerField(default=0)
    stats = models.JSONField(default=dict)

    def __str__(self):
        return f"search state v{self.version}"


class Review(TimeStampedModel):
    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="reviews")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="resource_reviews"
    )
    rating = models.PositiveSmallIntegerField(_("rating (1 to 5)"))
    used_for = models.TextField(_("what you used it for"), max_length=1000)
    cost_paid = models.PositiveIntegerField(
        _("what it cost (US or Canadian dollars a year)"),
        null=True,
        blank=True,
        help_text=_("0 if it was free; leave empty if you don't know."),
    )
    cost_note = models.CharField(_("about the cost"), max_length=200, blank=True)
    would_recommend = models.BooleanField(_("I'd recommend it"), default=True)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    hidden_reason = models.CharField(_("why it is hidden"), max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["resource", "author"], name="one_review_per_member_per_resource"
            ),
            models.CheckConstraint(
                condition=Q(rating__gte=1) & Q(rating__lte=5), name="review_rating_1_to_5"
            ),
        ]

    def __str__(self):
        return f"{self.author} on {self.resource}: {self.rating}/5"

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None


class Question(TimeStampedModel):
    """A question the directory did not answer, routed to the experts who best match."""

    class Status(models.TextChoices):
        OPEN = "open", _("Waiting for answers")
        ANSWERED = "answered", _("Answered")
        CLOSED = "closed", _("Closed")

    asker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="referral_questions"
    )
    text = models.TextField(_("your question"), max_length=QUESTION_MAX_CHARS)
    details = models.TextField(_("anything experts should know"), max_length=4000, blank=True)
    language = models.CharField(max_length=8, default="en")
    skill_areas = models.ManyToManyField(SkillArea, blank=True, related_name="+")
    status = models.CharField(max_length=10, choices=Status, default=Status.OPEN, db_index=True)
    accepted_answer = models.OneToOneField(
        "Answer",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="accepted_for",
    )
    escalated_at = models.DateTimeField(null=True, blank=True)
    # Stems of the question and its accepted answer, for the full-text stage (see ask_index.py).
    search_terms = models.TextField(blank=True)
    doc = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.text[:80]


class Routing(TimeStampedModel):
    """A question sent to one expert. ``round`` 2 and up come from escalation. ``notify_at`` is when
    the expert hears of it (now, or a later morning): the experts' daily cap counts these rows."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="routings")
    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="question_routings"
    )
    round = models.PositiveSmallIntegerField(default=1)
    score = models.FloatField(default=0.0)
    notify_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["round", "-score", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["question", "expert"], name="route_question_once_per_expert"
            )
        ]
        indexes = [
            models.Index(fields=["expert", "notify_at"], name="referrals_routing_expert_day")
        ]


class Answer(TimeStampedModel):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="referral_answers"
    )
    body = models.TextField(_("your answer"), max_length=5000)
    cited = models.ManyToManyField(
        Resource, verbose_name=_("resources cited"), blank=True, related_name="cited_in"
    )

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["question", "author"], name="one_answer_per_expert")
        ]

    def __str__(self):
        return f"{self.author} on {self.question_id}"
