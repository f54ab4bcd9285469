"""Market intelligence (情报): competitors, prices, reports, policies, plans, battlecards (R-INTEL-01..05).

Every item that carries a confidentiality level is a :class:`apps.core.models.ClassifiedModel`:
reads go through ``visible_to(user)`` and reads of confidential items are written to the access
log. Level changes are recorded as :class:`apps.core.models.LevelChange` rows by the services.
"""

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.files.storage import storages
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.models import ClassifiedModel, ClassifiedQuerySet, TimeStampedModel, localized


def intel_storage():
    # Attachments have no URL: only the clearance-checked download view serves them.
    return storages["intel"]


class Province(models.Model):
    """A province-level division of China (省、自治区、直辖市), seeded by a data migration."""

    code = models.CharField(_("code"), max_length=6, unique=True, help_text=_("GB/T 2260 code, e.g. 110000."))
    name = models.CharField(_("name (Chinese)"), max_length=20, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=40, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("province")
        verbose_name_plural = _("provinces")
        ordering = ["sort_order", "code"]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        return localized(self, "name")


class Tag(models.Model):
    name = models.CharField(_("name"), max_length=40, unique=True)

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Competitor(TimeStampedModel):
    name = models.CharField(_("name"), max_length=100, unique=True)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    website = models.URLField(_("website"), blank=True)
    headquarters = models.CharField(_("headquarters"), max_length=100, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    strong_provinces = models.ManyToManyField(
        Province, verbose_name=_("strong in"), blank=True, related_name="strong_competitors"
    )
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Archived competitors are hidden from lists.")
    )

    class Meta:
        verbose_name = _("competitor")
        verbose_name_plural = _("competitors")
        ordering = ["name"]

    def __str__(self):
        return self.short_name or self.name


class Methodology(models.TextChoices):
    CHEMILUMINESCENCE = "clia", _("Chemiluminescence")
    ELISA = "elisa", _("ELISA")
    IMMUNOFLUORESCENCE = "fluorescence", _("Immunofluorescence")
    COLLOIDAL_GOLD = "colloidal_gold", _("Colloidal gold")
    PCR = "pcr", _("PCR")
    BIOCHEMISTRY = "biochemistry", _("Clinical chemistry")
    OTHER = "other", _("Other")


class CompetitorProduct(TimeStampedModel):
    competitor = models.ForeignKey(
        Competitor, verbose_name=_("competitor"), on_delete=models.PROTECT, related_name="products"
    )
    name = models.CharField(_("name"), max_length=200)
    model_number = models.CharField(_("model"), max_length=100, blank=True)
    methodology = models.CharField(_("methodology"), max_length=20, choices=Methodology.choices, blank=True)
    throughput_per_hour = models.PositiveIntegerField(_("throughput (tests per hour)"), null=True, blank=True)
    sample_types = models.CharField(_("sample types"), max_length=100, blank=True, help_text=_("e.g. 血清、血浆、全血"))
    registration_number = models.CharField(_("registration certificate number"), max_length=100, blank=True)
    our_product = models.ForeignKey(
        "org.Product",
        verbose_name=_("comparable product of ours"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="competitor_products",
    )
    notes = models.TextField(_("notes"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("competitor product")
        verbose_name_plural = _("competitor products")
        ordering = ["competitor__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["competitor", "name"], name="competitorproduct_competitor_name_unique")
        ]

    def __str__(self):
        return self.name


class ProductSpec(models.Model):
    """A specification without a typed field: a key and a value (e.g. 检测项目: 36 项)."""

    product = models.ForeignKey(
        CompetitorProduct, verbose_name=_("competitor product"), on_delete=models.CASCADE, related_name="specs"
    )
    key = models.CharField(_("specification"), max_length=60)
    value = models.CharField(_("value"), max_length=200)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("specification")
        verbose_name_plural = _("specifications")
        ordering = ["product", "sort_order", "id"]
        constraints = [models.UniqueConstraint(fields=["product", "key"], name="productspec_product_key_unique")]

    def __str__(self):
        return f"{self.key}: {self.value}"


class PriceChannel(models.TextChoices):
    TENDER_RESULT = "tender", _("Tender result")
    QUOTATION = "quotation", _("Quotation")
    DISTRIBUTOR_LIST = "distributor", _("Distributor price list")
    HOSPITAL_PURCHASE = "hospital", _("Hospital purchase")


class PriceObservation(ClassifiedModel, TimeStampedModel):
    """One price seen for a competitor's product, or for ours, at a date and place."""

    competitor_product = models.ForeignKey(
        CompetitorProduct,
        verbose_name=_("competitor product"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="prices",
    )
    our_product = models.ForeignKey(
        "org.Product",
        verbose_name=_("our product"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="price_observations",
    )
    price = models.DecimalField(_("price"), max_digits=12, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, default="CNY")
    unit = models.CharField(_("unit"), max_length=20, blank=True, help_text=_("e.g. 人份、盒、台"))
    observed_on = models.DateField(_("date observed"))
    province = models.ForeignKey(Province, verbose_name=_("province"), on_delete=models.PROTECT, related_name="prices")
    city = models.CharField(_("city"), max_length=40, blank=True)
    channel = models.CharField(_("channel"), max_length=16, choices=PriceChannel.choices)
    source = models.CharField(_("source"), max_length=200)
    institution = models.CharField(_("hospital or buyer"), max_length=100, blank=True)
    notes = models.CharField(_("notes"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    is_archived = models.BooleanField(_("archived"), default=False)

    class Meta:
        verbose_name = _("price observation")
        verbose_name_plural = _("price observations")
        ordering = ["-observed_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(competitor_product__isnull=False, our_product__isnull=True)
                | Q(competitor_product__isnull=True, our_product__isnull=False),
                name="priceobservation_one_product",
            ),
            models.CheckConstraint(condition=Q(price__gt=0), name="priceobservation_price_positive"),
        ]
        indexes = [
            # Covering (PostgreSQL; SQLite ignores ``include``): the price chart's monthly aggregate is
            # answered from the index alone.
            models.Index(
                fields=["competitor_product", "observed_on"],
                name="price_product_date_idx",
                include=["price", "channel", "currency", "unit", "confidentiality", "is_archived"],
            ),
            models.Index(fields=["our_product", "observed_on"], name="price_ours_date_idx"),
            # Covering: the list's totals of a province are answered from the index alone.
            models.Index(
                fields=["province", "observed_on"],
                name="price_province_date_idx",
                include=["price", "currency", "confidentiality", "is_archived"],
            ),
            # The unfiltered list, newest first: walked backwards, stops after a page.
            models.Index(fields=["-observed_on", "-id"], name="price_date_idx"),
            models.Index(fields=["confidentiality", "-observed_on", "-id"], name="price_level_date_idx"),
        ]
        permissions = [("import_prices", _("Can import price observations from a spreadsheet"))]

    def __str__(self):
        product = self.competitor_product or self.our_product
        return f"{product} {self.price} {self.currency} {self.observed_on:%Y-%m-%d}"


class ResearchPlan(ClassifiedModel, TimeStampedModel):
    """A market research plan (市场调研计划, R-INTEL-04)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        APPROVED = "approved", _("Approved")
        IN_PROGRESS = "in_progress", _("In progress")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")

    title = models.CharField(_("title"), max_length=200)
    objective = models.TextField(_("objective"))
    method = models.TextField(_("method"), help_text=_("e.g. 问卷、访谈、案头研究"))
    sample = models.TextField(_("sample or targets"), blank=True)
    starts_on = models.DateField(_("start date"))
    due_on = models.DateField(_("deadline"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="research_plans"
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True)
    budget = models.DecimalField(_("budget (CNY)"), max_digits=12, decimal_places=2, null=True, blank=True)
    findings = models.TextField(_("findings"), blank=True)
    is_archived = models.BooleanField(_("archived"), default=False)

    class Meta:
        verbose_name = _("market research plan")
        verbose_name_plural = _("market research plans")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(due_on__gte=models.F("starts_on")), name="researchplan_due_after_start")
        ]

    def __str__(self):
        return self.title


class IntelReportQuerySet(ClassifiedQuerySet):
    def live(self):
        return self.filter(is_archived=False)


# Written and read in SQL only (apps/intel/search.py), and together about 15 kB a report: the
# default manager never loads them, so no page pays for them by accident.
SEARCH_COLUMNS = ("search_text", "search_vector", "search_ngrams")


class IntelReportManager(models.Manager.from_queryset(IntelReportQuerySet)):
    def get_queryset(self):
        return super().get_queryset().defer(*SEARCH_COLUMNS)


class IntelReport(ClassifiedModel, TimeStampedModel):
    """An intelligence report; a policy or announcement is a report with the policy fields filled."""

    class Kind(models.TextChoices):
        INDUSTRY_TREND = "trend", _("Industry trend")
        COMPETITOR_MOVE = "competitor", _("Competitor move")
        PRICING = "pricing", _("Pricing")
        POLICY = "policy", _("Policy or announcement")
        RESEARCH_FINDING = "research", _("Research finding")
        CONFERENCE = "conference", _("Conference or society news")

    class IssuerKind(models.TextChoices):
        GOVERNMENT = "government", _("Government")
        TRADE_BODY = "trade_body", _("Trade body")
        SOCIETY = "society", _("Professional society")

    kind = models.CharField(_("type"), max_length=16, choices=Kind.choices, db_index=True)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body"))
    source = models.CharField(_("source"), max_length=200)
    reported_on = models.DateField(_("date"), db_index=True)
    competitors = models.ManyToManyField(Competitor, verbose_name=_("competitors"), blank=True, related_name="reports")
    products = models.ManyToManyField(
        CompetitorProduct, verbose_name=_("competitor products"), blank=True, related_name="reports"
    )
    our_products = models.ManyToManyField(
        "org.Product", verbose_name=_("our products"), blank=True, related_name="intel_reports"
    )
    provinces = models.ManyToManyField(Province, verbose_name=_("provinces"), blank=True, related_name="reports")
    tags = models.ManyToManyField(Tag, verbose_name=_("tags"), blank=True, related_name="reports")
    research_plan = models.ForeignKey(
        ResearchPlan,
        verbose_name=_("research plan"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reports",
    )
    # Policy and announcement fields (政策、公告).
    issuer = models.CharField(_("issuer"), max_length=200, blank=True)
    issuer_kind = models.CharField(_("issuer type"), max_length=16, choices=IssuerKind.choices, blank=True)
    document_number = models.CharField(_("document number"), max_length=100, blank=True, help_text=_("文号"))
    effective_on = models.DateField(_("effective date"), null=True, blank=True)
    impact_assessment = models.TextField(_("impact assessment"), blank=True)

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("filed by"), on_delete=models.PROTECT, related_name="intel_reports"
    )
    is_archived = models.BooleanField(_("archived"), default=False)
    # Search (apps/intel/search.py): the normalised text of title, body and attachments, and its
    # index-backed token vectors on PostgreSQL. All are written by the services only.
    search_text = models.TextField(editable=False, blank=True, default="")
    search_vector = SearchVectorField(null=True, editable=False)
    # The 3- and 4-character Han n-grams of search_text, without positions: read by the GIN index only.
    search_ngrams = SearchVectorField(null=True, editable=False)

    objects = IntelReportManager()

    class Meta:
        verbose_name = _("intelligence report")
        verbose_name_plural = _("intelligence reports")
        ordering = ["-reported_on", "-id"]
        indexes = [
            models.Index(fields=["confidentiality", "-reported_on", "-id"], name="intelreport_level_date_idx"),
            models.Index(fields=["kind", "-reported_on"], name="intelreport_kind_date_idx"),
            # The list's count of one type within a clearance, answered from the index alone.
            models.Index(
                fields=["kind", "confidentiality"], condition=Q(is_archived=False), name="intelreport_live_kind_idx"
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_policy(self) -> bool:
        return self.kind == self.Kind.POLICY


class IntelAttachment(ClassifiedModel):
    """A file of a report. Its level is at least the report's; text is extracted for search."""

    report = models.ForeignKey(
        IntelReport, verbose_name=_("report"), on_delete=models.PROTECT, related_name="attachments"
    )
    file = models.FileField(_("file"), storage=intel_storage, upload_to="attachments/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size in bytes"))
    text = models.TextField(_("extracted text"), blank=True, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    is_archived = models.BooleanField(_("archived"), default=False)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["report", "id"]

    def __str__(self):
        return self.original_name


class Battlecard(ClassifiedModel, TimeStampedModel):
    """The one-page summary of a competitor (竞争对手作战卡), kept current by the research specialist.

    The text lives in versions; ``current`` points at the newest. Latest moves and prices are
    read live from reports and price observations the viewer is cleared for.
    """

    competitor = models.OneToOneField(
        Competitor, verbose_name=_("competitor"), on_delete=models.PROTECT, related_name="battlecard"
    )
    current = models.ForeignKey(
        "BattlecardVersion",
        verbose_name=_("current version"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_on = models.DateField(_("last reviewed"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("battlecard")
        verbose_name_plural = _("battlecards")
        ordering = ["competitor__name"]

    def __str__(self):
        return str(self.competitor)


class BattlecardVersion(models.Model):
    battlecard = models.ForeignKey(
        Battlecard, verbose_name=_("battlecard"), on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    strengths = models.TextField(_("their strengths"))
    weaknesses = models.TextField(_("their weaknesses"))
    responses = models.TextField(_("how to answer them"))
    latest_moves = models.TextField(_("latest moves"), blank=True)
    summary = models.CharField(_("what changed"), max_length=200, blank=True)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("edited by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("saved at"), auto_now_add=True)

    class Meta:
        verbose_name = _("battlecard version")
        verbose_name_plural = _("battlecard versions")
        ordering = ["battlecard", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["battlecard", "number"], name="battlecardversion_card_number_unique")
        ]

    def __str__(self):
        return f"{self.battlecard} v{self.number}"


def _one_target(target: str) -> Q:
    targets = ("competitor", "product", "tag", "province")
    return Q(target=target, **{f"{field}__isnull": field != target for field in targets})


class Follow(models.Model):
    """A person follows a competitor, product, tag or province, and is alerted to new items."""

    class Target(models.TextChoices):
        COMPETITOR = "competitor", _("Competitor")
        PRODUCT = "product", _("Competitor product")
        TAG = "tag", _("Tag")
        PROVINCE = "province", _("Province")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="intel_follows"
    )
    target = models.CharField(_("follows"), max_length=16, choices=Target.choices)
    competitor = models.ForeignKey(Competitor, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    product = models.ForeignKey(CompetitorProduct, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    province = models.ForeignKey(Province, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(_("since"), auto_now_add=True)

    class Meta:
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        ordering = ["user", "target", "id"]
        constraints = [
            models.CheckConstraint(
                condition=_one_target("competitor")
                | _one_target("product")
                | _one_target("tag")
                | _one_target("province"),
                name="follow_one_target",
            ),
            models.UniqueConstraint(fields=["user", "competitor"], name="follow_user_competitor_unique"),
            models.UniqueConstraint(fields=["user", "product"], name="follow_user_product_unique"),
            models.UniqueConstraint(fields=["user", "tag"], name="follow_user_tag_unique"),
            models.UniqueConstraint(fields=["user", "province"], name="follow_user_province_unique"),
        ]

    def __str__(self):
        return f"{self.user} → {self.competitor or self.product or self.tag or self.province}"


class DigestSent(models.Model):
    """The weekly digest of one person for one week, so that a repeated run sends nothing twice."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    week_start = models.DateField(_("week"))
    item_count = models.PositiveIntegerField(_("items"), default=0)
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("weekly digest sent")
        verbose_name_plural = _("weekly digests sent")
        constraints = [models.UniqueConstraint(fields=["user", "week_start"], name="digestsent_user_week_unique")]

    def __str__(self):
        return f"{self.user} {self.week_start}"
