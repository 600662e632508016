"""The domain: regions, programmes, projects, indicators, reporting periods and progress reports.

Tables, constraints, `__str__` and small properties that read one row live here. Workflow
(submit, approve, close a period) lives in `services.py`, the traffic-light rules in
`status.py`, reads that pages need in `selectors.py`. Nothing in this module sends mail,
checks permissions or computes a light.

Amounts and indicator values are exact decimals (euros, counts), never floats.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from programmes.calendar import format_peildatum, is_peildatum, period_key
from programmes.status import Light

MONEY = {"max_digits": 14, "decimal_places": 2}
VALUE = {"max_digits": 14, "decimal_places": 2}


def non_negative(field_name: str, model_name: str) -> models.CheckConstraint:
    """A database check that `field_name` is empty or zero or more."""
    return models.CheckConstraint(
        condition=Q(**{f"{field_name}__isnull": True}) | Q(**{f"{field_name}__gte": 0}),
        name=f"{model_name}_{field_name}_non_negative",
        violation_error_message=_("Een bedrag of waarde mag niet negatief zijn."),
    )


class Region(models.Model):
    """An arbeidsmarktregio (the Netherlands has 35)."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("naam"), max_length=120, unique=True)
    viewers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lezers (bijv. wethouders)"),
        related_name="viewed_regions",
        blank=True,
        help_text=_("Mogen alle programma's van deze regio lezen, niets wijzigen."),
    )

    class Meta:
        verbose_name = _("arbeidsmarktregio")
        verbose_name_plural = _("arbeidsmarktregio's")
        ordering = ["name"]
        permissions = [
            ("view_all_regions", _("Mag alle regio's lezen (bijv. ministerie)")),
        ]

    def __str__(self) -> str:
        return self.name


class Municipality(models.Model):
    region = models.ForeignKey(
        Region, verbose_name=_("regio"), on_delete=models.CASCADE, related_name="municipalities"
    )
    name = models.CharField(_("naam"), max_length=120)

    class Meta:
        verbose_name = _("gemeente")
        verbose_name_plural = _("gemeenten")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="municipality_unique_in_region")
        ]

    def __str__(self) -> str:
        return self.name


class Organisation(models.Model):
    """A partner or owner of projects: UWV, a WSP, a gemeente, an ROC, an employer."""

    class Kind(models.TextChoices):
        GEMEENTE = "gemeente", _("gemeente")
        UWV = "uwv", _("UWV")
        WSP = "wsp", _("werkgeversservicepunt")
        ONDERWIJS = "onderwijs", _("onderwijsinstelling")
        WERKGEVER = "werkgever", _("werkgever")
        REGIO = "regio", _("regio-organisatie")
        OVERIG = "overig", _("overig")

    name = models.CharField(_("naam"), max_length=200, unique=True)
    kind = models.CharField(_("soort"), max_length=20, choices=Kind.choices, default=Kind.OVERIG)

    class Meta:
        verbose_name = _("organisatie")
        verbose_name_plural = _("organisaties")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class FundingSource(models.Model):
    """Where money comes from: Regio Deal, Rijk, Provincie, gemeente, overig publiek, privaat."""

    class Kind(models.TextChoices):
        RIJK = "rijk", _("Rijk")
        PROVINCIE = "provincie", _("provincie")
        GEMEENTE = "gemeente", _("gemeente")
        OVERIG_PUBLIEK = "overig_publiek", _("overig publiek")
        PRIVAAT = "privaat", _("privaat")
        EUROPEES = "europees", _("Europees")

    name = models.CharField(_("naam"), max_length=120, unique=True)
    kind = models.CharField(_("soort"), max_length=20, choices=Kind.choices, default=Kind.RIJK)
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)
    region = models.ForeignKey(
        "Region",
        verbose_name=_("alleen voor regio"),
        on_delete=models.CASCADE,
        related_name="funding_sources",
        null=True,
        blank=True,
        help_text=_("Leeg: een landelijke bron die elke regio kan gebruiken."),
    )

    class Meta:
        verbose_name = _("financieringsbron")
        verbose_name_plural = _("financieringsbronnen")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class Programme(models.Model):
    """A regional programme (e.g. Werken aan Werk) with its traffic-light thresholds."""

    region = models.ForeignKey(
        Region, verbose_name=_("regio"), on_delete=models.PROTECT, related_name="programmes"
    )
    slug = models.SlugField(_("korte naam"), max_length=120, unique=True)
    name = models.CharField(_("naam"), max_length=200)
    funder = models.CharField(_("financier"), max_length=200, blank=True)
    description = models.TextField(_("omschrijving"), blank=True)
    start_date = models.DateField(_("startdatum"))
    end_date = models.DateField(_("einddatum"))
    green_threshold = models.DecimalField(
        _("drempel groen"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("0.90"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
        help_text=_("Voortgang (0–1) vanaf waar een indicator groen is; standaard 0,90."),
    )
    amber_threshold = models.DecimalField(
        _("drempel oranje"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("0.60"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
        help_text=_("Voortgang (0–1) vanaf waar een indicator oranje is; standaard 0,60."),
    )
    source = models.CharField(_("bron"), max_length=300, blank=True)
    four_eyes = models.BooleanField(
        _("vier-ogenprincipe"),
        default=True,
        help_text=_("Wie een rapportage indient, mag hem niet zelf goedkeuren."),
    )
    managers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("programmamanagers"),
        related_name="managed_programmes",
        blank=True,
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("programma")
        verbose_name_plural = _("programma's")
        ordering = ["region__name", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")),
                name="programme_ends_after_start",
                violation_error_message=_("De einddatum ligt voor de startdatum."),
            ),
            models.CheckConstraint(
                condition=Q(amber_threshold__lte=models.F("green_threshold")),
                name="programme_amber_below_green",
                violation_error_message=_(
                    "De drempel voor oranje moet onder die voor groen liggen."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Pillar(models.Model):
    """An ordered grouping of projects inside a programme (pijler, actielijn, section)."""

    programme = models.ForeignKey(
        Programme, verbose_name=_("programma"), on_delete=models.CASCADE, related_name="pillars"
    )
    name = models.CharField(_("naam"), max_length=200)
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)
    description = models.TextField(_("omschrijving"), blank=True)

    class Meta:
        verbose_name = _("pijler")
        verbose_name_plural = _("pijlers")
        ordering = ["programme", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "name"], name="pillar_unique_in_programme")
        ]

    def __str__(self) -> str:
        return self.name


class ProgrammeTarget(models.Model):
    """A programme-level goal, e.g. 1180 trajecten. Realisation is the sum of the indicators
    of its projects that count towards it."""

    programme = models.ForeignKey(
        Programme, verbose_name=_("programma"), on_delete=models.CASCADE, related_name="targets"
    )
    name = models.CharField(_("naam"), max_length=200)
    unit = models.CharField(_("eenheid"), max_length=60, blank=True)
    target_value = models.DecimalField(_("streefwaarde"), **VALUE)
    description = models.TextField(_("toelichting"), blank=True)
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("programmadoel")
        verbose_name_plural = _("programmadoelen")
        ordering = ["programme", "order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "name"], name="target_unique_in_programme"
            ),
            non_negative("target_value", "programmetarget"),
        ]

    def __str__(self) -> str:
        return self.name


class ProgrammeTargetValue(models.Model):
    """A programme target's realisation at one peildatum as reported at programme level
    (the seed 001 monitor: "385 kandidaten gestart (tot en met juni 2021)"). Where set, it is
    shown instead of the sum of the project indicators that count towards the target."""

    target = models.ForeignKey(
        ProgrammeTarget,
        verbose_name=_("programmadoel"),
        on_delete=models.CASCADE,
        related_name="values",
    )
    period = models.ForeignKey(
        "ReportingPeriod",
        verbose_name=_("periode"),
        on_delete=models.CASCADE,
        related_name="target_values",
    )
    value = models.DecimalField(_("realisatie"), **VALUE)
    source = models.TextField(_("bron"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("realisatie programmadoel")
        verbose_name_plural = _("realisaties programmadoelen")
        constraints = [
            models.UniqueConstraint(
                fields=["target", "period"], name="one_target_value_per_period"
            ),
            non_negative("value", "programmetargetvalue"),
        ]

    def __str__(self) -> str:
        return f"{self.target_id} @ {self.period_id}: {self.value}"

    def clean(self) -> None:
        super().clean()
        if (
            self.target_id
            and self.period_id
            and self.period.programme_id != self.target.programme_id
        ):
            raise ValidationError(
                {"period": _("Kies een periode van het programma van dit programmadoel.")}
            )


class ProjectQuerySet(models.QuerySet):
    def active(self) -> ProjectQuerySet:
        """Projects shown in the main monitor: planned or running."""
        return self.filter(status__in=Project.ACTIVE_STATUSES)

    def finished(self) -> ProjectQuerySet:
        """Completed, stopped and on-hold projects: shown apart, as the seed monitor does."""
        return self.exclude(status__in=Project.ACTIVE_STATUSES)

    def in_region(self, region: Region) -> ProjectQuerySet:
        return self.filter(programme__region=region)


class Project(models.Model):
    """A deelproject or activiteit of a programme."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("gepland")
        RUNNING = "running", _("lopend")
        COMPLETED = "completed", _("afgerond")
        STOPPED = "stopped", _("gestopt")
        ON_HOLD = "on_hold", _("gepauzeerd")

    ACTIVE_STATUSES = (Status.PLANNED, Status.RUNNING)

    programme = models.ForeignKey(
        Programme, verbose_name=_("programma"), on_delete=models.PROTECT, related_name="projects"
    )
    pillar = models.ForeignKey(
        Pillar,
        verbose_name=_("pijler"),
        on_delete=models.SET_NULL,
        related_name="projects",
        null=True,
        blank=True,
    )
    code = models.CharField(_("code"), max_length=40)
    number = models.PositiveSmallIntegerField(_("nummer"), null=True, blank=True)
    title = models.CharField(_("titel"), max_length=250)
    status = models.CharField(
        _("fase"), max_length=20, choices=Status.choices, default=Status.RUNNING
    )
    start_date = models.DateField(_("startdatum"), null=True, blank=True)
    end_date = models.DateField(_("einddatum"), null=True, blank=True)
    action = models.TextField(_("actie"), blank=True)
    intended_result = models.TextField(_("beoogd resultaat"), blank=True)
    achieved_result = models.TextField(_("behaald resultaat"), blank=True)
    follow_up = models.TextField(_("vervolg / borging"), blank=True)
    public_funds = models.TextField(_("ingezette publieke middelen"), blank=True)
    estimated_cost = models.DecimalField(
        _("geschatte kosten"),
        null=True,
        blank=True,
        help_text=_(
            "De geschatte kosten voor de hele looptijd volgens het projectplan, in euro. "
            "Kosten per jaar staan in de begroting per jaar."
        ),
        **MONEY,
    )
    extra_info = models.TextField(_("aanvullende informatie"), blank=True)
    owner = models.ForeignKey(
        Organisation,
        verbose_name=_("eigenaar"),
        on_delete=models.SET_NULL,
        related_name="owned_projects",
        null=True,
        blank=True,
    )
    partners = models.ManyToManyField(
        Organisation, verbose_name=_("partners"), related_name="partner_projects", blank=True
    )
    coordinators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("coördinatoren"),
        related_name="coordinated_projects",
        blank=True,
    )
    objects = ProjectQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[partners])

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projecten")
        ordering = ["programme", "pillar__order", "number", "title"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "code"], name="project_code_unique"),
            non_negative("estimated_cost", "project"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="project_ends_after_start",
                violation_error_message=_("De einddatum ligt voor de startdatum."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE_STATUSES

    def clean(self) -> None:
        if self.pillar_id and self.pillar.programme_id != self.programme_id:
            raise ValidationError({"pillar": _("Deze pijler hoort bij een ander programma.")})


class Indicator(models.Model):
    """A measurable result of a project, with its streefwaarde and how to read it."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="indicators"
    )
    name = models.CharField(_("naam"), max_length=250)
    unit = models.CharField(_("eenheid"), max_length=60, blank=True)
    baseline = models.DecimalField(_("nulmeting"), default=Decimal("0"), **VALUE)
    target_value = models.DecimalField(_("streefwaarde"), **VALUE)
    target_date = models.DateField(_("streefdatum"), null=True, blank=True)
    is_cumulative = models.BooleanField(
        _("cumulatief"),
        default=True,
        help_text=_("Aan: de stand telt op over de perioden. Uit: een waarde per periode."),
    )
    higher_is_better = models.BooleanField(_("hoger is beter"), default=True)
    programme_target = models.ForeignKey(
        ProgrammeTarget,
        verbose_name=_("telt mee voor programmadoel"),
        on_delete=models.SET_NULL,
        related_name="indicators",
        null=True,
        blank=True,
    )
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicatoren")
        ordering = ["project", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["project", "name"], name="indicator_unique_in_project"),
            non_negative("target_value", "indicator"),
            non_negative("baseline", "indicator"),
        ]

    def __str__(self) -> str:
        return self.name


class TargetRevision(models.Model):
    """A revised streefwaarde: targets change, but never silently."""

    indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("indicator"),
        on_delete=models.CASCADE,
        related_name="revisions",
        null=True,
        blank=True,
    )
    programme_target = models.ForeignKey(
        ProgrammeTarget,
        verbose_name=_("programmadoel"),
        on_delete=models.CASCADE,
        related_name="revisions",
        null=True,
        blank=True,
    )
    previous_value = models.DecimalField(_("oorspronkelijke streefwaarde"), **VALUE)
    new_value = models.DecimalField(_("nieuwe streefwaarde"), **VALUE)
    revised_on = models.DateField(_("datum bijstelling"))
    reason = models.TextField(_("reden"))
    revised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("bijgesteld door"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("bijstelling streefwaarde")
        verbose_name_plural = _("bijstellingen streefwaarde")
        ordering = ["revised_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(indicator__isnull=False) & Q(programme_target__isnull=True))
                | (Q(indicator__isnull=True) & Q(programme_target__isnull=False)),
                name="revision_for_exactly_one_target",
                violation_error_message=_(
                    "Een bijstelling hoort bij precies één indicator of programmadoel."
                ),
            ),
            non_negative("previous_value", "targetrevision"),
            non_negative("new_value", "targetrevision"),
        ]

    def __str__(self) -> str:
        return f"{self.previous_value} → {self.new_value} ({self.revised_on:%d-%m-%Y})"


class ReportingPeriod(models.Model):
    """A half-year of a programme, identified by its peildatum (1 January or 1 July)."""

    programme = models.ForeignKey(
        Programme, verbose_name=_("programma"), on_delete=models.CASCADE, related_name="periods"
    )
    peildatum = models.DateField(_("peildatum"))
    deadline = models.DateField(_("uiterste inleverdatum"), null=True, blank=True)
    is_closed = models.BooleanField(_("gesloten"), default=False)
    closed_at = models.DateTimeField(_("gesloten op"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("gesloten door"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("rapportageperiode")
        verbose_name_plural = _("rapportageperioden")
        ordering = ["programme", "peildatum"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "peildatum"], name="period_unique_peildatum"
            ),
            models.CheckConstraint(
                condition=Q(peildatum__day=1) & Q(peildatum__month__in=[1, 7]),
                name="period_peildatum_1_january_or_1_july",
                violation_error_message=_("Een peildatum valt altijd op 1 januari of 1 juli."),
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """As people say it: "peildatum 1-7-2021"."""
        return _("peildatum %(date)s") % {"date": format_peildatum(self.peildatum)}

    @property
    def key(self) -> str:
        """Short key of the half-year the peildatum closes: 1-7-2021 is "2021-H1"."""
        return period_key(self.peildatum)

    def clean(self) -> None:
        if self.peildatum and not is_peildatum(self.peildatum):
            raise ValidationError(
                {"peildatum": _("Een peildatum valt altijd op 1 januari of 1 juli.")}
            )


class ProgressReport(models.Model):
    """One project's progress report for one period: narrative, values, money and a light."""

    class State(models.TextChoices):
        DRAFT = "draft", _("concept")
        SUBMITTED = "submitted", _("ingediend")
        RETURNED = "returned", _("teruggestuurd")
        APPROVED = "approved", _("goedgekeurd")

    class Highlight(models.TextChoices):
        NONE = "", _("geen")
        POSITIVE = "positive", _("positief")
        ADJUSTED = "adjusted", _("bijgesteld")

    REPORTED_LIGHTS = [
        (Light.GREEN.value, Light.GREEN.label),
        (Light.AMBER.value, Light.AMBER.label),
        (Light.RED.value, Light.RED.label),
    ]

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="reports"
    )
    period = models.ForeignKey(
        ReportingPeriod,
        verbose_name=_("periode"),
        on_delete=models.PROTECT,
        related_name="reports",
    )
    state = models.CharField(_("status"), max_length=20, choices=State.choices, default=State.DRAFT)
    summary = models.TextField(_("samenvatting"), blank=True)
    reported_light = models.CharField(
        _("gerapporteerd stoplicht"), max_length=10, choices=REPORTED_LIGHTS, blank=True
    )
    light_explanation = models.TextField(_("toelichting stoplicht"), blank=True)
    light_cause = models.TextField(_("oorzaak"), blank=True)
    light_consequences = models.TextField(_("gevolgen"), blank=True)
    light_recovery = models.TextField(_("bijsturing"), blank=True)
    budget_note = models.TextField(_("toelichting financiën"), blank=True)
    # Totals as the source or the coordinator states them, shown beside the computed ones
    # with the difference; the computed totals never use them.
    stated_cost_total = models.DecimalField(
        _("opgegeven totaal uitgaven"),
        **MONEY,
        null=True,
        blank=True,
        help_text=_("Totaal van realisatie en prognose zoals de bron het vermeldt."),
    )
    stated_income_total = models.DecimalField(
        _("opgegeven totaal begroot (inkomsten)"),
        **MONEY,
        null=True,
        blank=True,
        help_text=_("Totaal van de kolom Begroot van de inkomsten zoals de bron het vermeldt."),
    )
    stated_totals_note = models.TextField(_("toelichting opgegeven totalen"), blank=True)
    highlight = models.CharField(
        _("highlight"), max_length=10, choices=Highlight.choices, default="", blank=True
    )
    highlight_text = models.CharField(_("highlight-tekst"), max_length=300, blank=True)
    # The place of the highlight among the region's highlights of the peildatum, as the
    # source lists them (the region monitor prints them in this order; empty: after the
    # numbered ones, in project order).
    highlight_order = models.PositiveSmallIntegerField(
        _("volgorde highlight"), null=True, blank=True
    )
    is_demo_data = models.BooleanField(
        _("demodata"),
        default=False,
        help_text=_("Gegenereerd voor de demo; niet uit een bronrapport."),
    )
    source = models.CharField(_("bron"), max_length=300, blank=True)
    # Optimistic locking: every save through the services increments it; a form posts the
    # version it was opened with and a mismatch means someone else saved meanwhile.
    version = models.PositiveIntegerField(_("versie"), default=1)
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    updated_at = models.DateTimeField(_("gewijzigd op"), auto_now=True)
    submitted_at = models.DateTimeField(_("ingediend op"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ingediend door"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("beoordeeld op"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("beoordeeld door"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    return_reason = models.TextField(_("reden terugsturen"), blank=True)
    # Set when its period closed while it was still a draft or returned: it stays readable
    # for the project's coordinators and the managers, marked "niet ingediend bij sluiting".
    unsubmitted_at_close = models.BooleanField(_("niet ingediend bij sluiting"), default=False)
    # Sections whose text was carried over from the previous report and not yet edited or
    # confirmed by the coordinator ("overgenomen"): the keys of `programmes.read.changes`
    # SECTIONS ("summary", "activities", "light", "planning", "finances"). Submitting
    # refuses a report while one is left.
    carried_over = models.JSONField(_("overgenomen onderdelen"), default=list, blank=True)
    # The approved report the new one was prefilled from ("overgenomen van peildatum …").
    carried_over_from = models.ForeignKey(
        "self",
        verbose_name=_("overgenomen uit"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("voortgangsrapportage")
        verbose_name_plural = _("voortgangsrapportages")
        ordering = ["project", "period__peildatum"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "period"], name="one_report_per_project_per_period"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project} — {self.period}"

    @property
    def is_approved(self) -> bool:
        return self.state == self.State.APPROVED


class ActivityProgress(models.Model):
    """Progress on one planned activity, as the Zeeland report's 'Activiteiten voorzien in'."""

    report = models.ForeignKey(
        ProgressReport,
        verbose_name=_("rapportage"),
        on_delete=models.CASCADE,
        related_name="activities",
    )
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)
    year = models.PositiveSmallIntegerField(_("jaar"), null=True, blank=True)
    activity = models.TextField(_("geplande activiteit"))
    progress = models.TextField(_("voortgang"), blank=True)
    # The report's third column ("Voortgangsindicatoren per peildatum (cumulatief)").
    progress_indicators = models.TextField(_("voortgangsindicatoren"), blank=True)
    # Set by the coordinator: the activity runs behind its planning. An agenda item whose
    # latest report marks an activity as delayed is "vertraagd" in the evaluation.
    is_delayed = models.BooleanField(_("vertraagd"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("voortgang activiteit")
        verbose_name_plural = _("voortgang activiteiten")
        ordering = ["report", "order", "pk"]

    def __str__(self) -> str:
        return self.activity[:80]


class PlannedValue(models.Model):
    """The planned (expected) value of an indicator at a peildatum."""

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.CASCADE, related_name="planned"
    )
    period = models.ForeignKey(
        ReportingPeriod, verbose_name=_("periode"), on_delete=models.CASCADE, related_name="+"
    )
    value = models.DecimalField(_("planning"), **VALUE)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("geplande waarde")
        verbose_name_plural = _("geplande waarden")
        ordering = ["indicator", "period__peildatum"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period"], name="one_planned_value_per_period"
            ),
            non_negative("value", "plannedvalue"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.value}"


class IndicatorValue(models.Model):
    """The realisation of an indicator in a report."""

    report = models.ForeignKey(
        ProgressReport,
        verbose_name=_("rapportage"),
        on_delete=models.CASCADE,
        related_name="values",
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.CASCADE, related_name="values"
    )
    value = models.DecimalField(_("realisatie"), null=True, blank=True, **VALUE)
    note = models.TextField(_("toelichting"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("indicatorwaarde")
        verbose_name_plural = _("indicatorwaarden")
        ordering = ["report", "indicator__order", "indicator_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "indicator"], name="one_value_per_indicator_per_report"
            ),
            non_negative("value", "indicatorvalue"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.value}"


class PlanningChange(models.Model):
    """A change to the planned activities of one project year."""

    report = models.ForeignKey(
        ProgressReport,
        verbose_name=_("rapportage"),
        on_delete=models.CASCADE,
        related_name="planning_changes",
    )
    year = models.PositiveSmallIntegerField(_("jaar"))
    original_description = models.TextField(_("activiteiten volgens projectplan"), blank=True)
    changed_description = models.TextField(_("gewijzigde beschrijving"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("planningswijziging")
        verbose_name_plural = _("planningswijzigingen")
        ordering = ["report", "year"]
        constraints = [
            models.UniqueConstraint(fields=["report", "year"], name="one_planning_change_per_year")
        ]

    def __str__(self) -> str:
        return str(self.year)


class BudgetPlan(models.Model):
    """The planned cost of a project per calendar year, as the project plan gives it."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="budget_plan"
    )
    year = models.PositiveSmallIntegerField(_("jaar"))
    amount = models.DecimalField(_("begroting volgens plan"), **MONEY)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("begroting volgens plan")
        verbose_name_plural = _("begroting volgens plan")
        ordering = ["project", "year"]
        constraints = [
            models.UniqueConstraint(fields=["project", "year"], name="one_budget_plan_per_year"),
            non_negative("amount", "budgetplan"),
        ]

    def __str__(self) -> str:
        return f"{self.project} {self.year}"


class BudgetLine(models.Model):
    """Cost of one calendar year as reported at a peildatum: budget, actual spending and,
    for years not yet closed, the forecast."""

    report = models.ForeignKey(
        ProgressReport,
        verbose_name=_("rapportage"),
        on_delete=models.CASCADE,
        related_name="budget_lines",
    )
    year = models.PositiveSmallIntegerField(_("jaar"))
    budget = models.DecimalField(_("begroting"), null=True, blank=True, **MONEY)
    spent = models.DecimalField(_("uitgaven (realisatie)"), null=True, blank=True, **MONEY)
    forecast = models.DecimalField(_("uitgaven (prognose)"), null=True, blank=True, **MONEY)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("kosten per jaar")
        verbose_name_plural = _("kosten per jaar")
        ordering = ["report", "year"]
        constraints = [
            models.UniqueConstraint(fields=["report", "year"], name="one_budget_line_per_year"),
            non_negative("budget", "budgetline"),
            non_negative("spent", "budgetline"),
            non_negative("forecast", "budgetline"),
        ]

    def __str__(self) -> str:
        return str(self.year)


class FundingLine(models.Model):
    """Income from one funding source as reported at a peildatum."""

    report = models.ForeignKey(
        ProgressReport,
        verbose_name=_("rapportage"),
        on_delete=models.CASCADE,
        related_name="funding_lines",
    )
    source = models.ForeignKey(
        FundingSource, verbose_name=_("bron"), on_delete=models.PROTECT, related_name="+"
    )
    budgeted = models.DecimalField(_("begroot"), null=True, blank=True, **MONEY)
    received = models.DecimalField(_("ontvangen / beschikbaar"), null=True, blank=True, **MONEY)
    committed = models.DecimalField(_("toegezegd"), null=True, blank=True, **MONEY)
    to_request = models.DecimalField(_("nog aan te vragen"), null=True, blank=True, **MONEY)
    note = models.TextField(_("toelichting"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("inkomsten per bron")
        verbose_name_plural = _("inkomsten per bron")
        ordering = ["report", "source__order", "source__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "source"], name="one_funding_line_per_source"
            ),
            non_negative("budgeted", "fundingline"),
            non_negative("received", "fundingline"),
            non_negative("committed", "fundingline"),
            non_negative("to_request", "fundingline"),
        ]

    def __str__(self) -> str:
        return str(self.source)


class StoredStatus(models.Model):
    """Derived, never entered: a project at one peildatum as every surface shows it (lights,
    the state of its report, its budget figures). Written only by
    `programmes.services.derived` in the same transaction as each write that can change it,
    so readers count and filter in the database instead of recomputing every project;
    `manage.py rebuild_status --check` proves it equals a fresh computation."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="+"
    )
    period = models.ForeignKey(
        ReportingPeriod, verbose_name=_("periode"), on_delete=models.CASCADE, related_name="+"
    )
    programme = models.ForeignKey(
        Programme, verbose_name=_("programma"), on_delete=models.CASCADE, related_name="+"
    )
    region = models.ForeignKey(
        Region, verbose_name=_("regio"), on_delete=models.CASCADE, related_name="+"
    )
    # The period's peildatum and deadline, copied so national counts need no join.
    peildatum = models.DateField(_("peildatum"))
    deadline = models.DateField(_("uiterste inleverdatum"), null=True, blank=True)
    is_active = models.BooleanField(_("lopend project"))
    report_state = models.CharField(_("status rapportage"), max_length=20, blank=True)
    reported_light = models.CharField(_("gerapporteerd stoplicht"), max_length=10, blank=True)
    computed_light = models.CharField(_("berekend stoplicht"), max_length=10)
    lights_differ = models.BooleanField(_("stoplichten verschillen"))
    budget_light = models.CharField(_("stoplicht budget"), max_length=10, blank=True)
    total_budget = models.DecimalField(_("begroting"), null=True, blank=True, **MONEY)
    total_spent = models.DecimalField(_("uitgegeven"), null=True, blank=True, **MONEY)
    total_expected = models.DecimalField(_("verwachte uitgaven"), null=True, blank=True, **MONEY)

    class Meta:
        verbose_name = _("berekende status")
        verbose_name_plural = _("berekende statussen")
        constraints = [
            models.UniqueConstraint(fields=["project", "period"], name="one_status_per_period")
        ]
        indexes = [
            models.Index(fields=["peildatum", "region"], name="status_peildatum_region"),
            models.Index(fields=["report_state", "peildatum"], name="status_state_peildatum"),
        ]

    def __str__(self) -> str:
        return f"{self.project_id} @ {self.period_id}: {self.computed_light}"


class SentReminder(models.Model):
    """A reminder e-mail sent about a project's report for a period (started or not):
    never twice for the same report, person, kind and day (`services.reminders`)."""

    class Kind(models.TextChoices):
        MANUAL = "manual", _("herinnering van de programmamanager")
        DUE = "due", _("herinnering voor de uiterste datum")
        REVIEW = "review", _("herinnering om te beoordelen")

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="+"
    )
    period = models.ForeignKey(
        ReportingPeriod, verbose_name=_("periode"), on_delete=models.CASCADE, related_name="+"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ontvanger"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    kind = models.CharField(_("soort"), max_length=10, choices=Kind.choices)
    day = models.DateField(_("dag"))
    sent_at = models.DateTimeField(_("verstuurd op"), auto_now_add=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verstuurd door"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("verstuurde herinnering")
        verbose_name_plural = _("verstuurde herinneringen")
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "period", "recipient", "kind", "day"],
                name="one_reminder_per_report_recipient_kind_day",
            )
        ]

    def __str__(self) -> str:
        return f"{self.project} {self.period} → {self.recipient} ({self.day})"
