"""The forms of progress reporting: the report form and the review forms.

Numbers and amounts are read the Dutch way through `programmes.parsing.parse_decimal`
(`DutchDecimalField`), narrative through `programmes.text` (`NarrativeField`). Forms
validate and turn input into the plain dataclasses of `programmes.services`; they never
save anything themselves and never decide about workflow or permissions.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from programmes import formatting, services, text
from programmes.models import ProgressReport
from programmes.parsing import AmountError, parse_decimal
from programmes.read import changes
from programmes.report_data import ReportContext
from programmes.services.rows import lower_value_problem

MAX_AMOUNT = Decimal("999999999999.99")


class DutchDecimalInput(forms.TextInput):
    """A text box for a number: shows stored values the Dutch way, keeps typed text as is."""

    input_type = "text"

    def __init__(self, attrs=None):
        super().__init__(
            {
                "inputmode": "decimal",
                "autocomplete": "off",
                "class": "form-control",
                **(attrs or {}),
            }
        )

    def format_value(self, value):
        if isinstance(value, Decimal | int):
            return formatting.nl_number(value)
        return super().format_value(value)


class MoneyInput(DutchDecimalInput):
    """A text box for an amount in euros: two decimals when it has cents ("1.610.000,50")."""

    def format_value(self, value):
        if isinstance(value, Decimal | int):
            return formatting.nl_amount(value)
        return super().format_value(value)


class DutchDecimalField(forms.Field):
    """A number or amount typed as Dutch people type it: "1.610.000", "€ 1.610.000,50".

    Ambiguous input ("2.3000.000", "1,2,3") and negative amounts are refused with a message
    that says what is wrong; the typed text stays in the box.
    """

    widget = DutchDecimalInput

    def __init__(self, *, max_value: Decimal = MAX_AMOUNT, money: bool = False, **kwargs):
        kwargs.setdefault("required", False)
        if money:
            kwargs.setdefault("widget", MoneyInput)
        super().__init__(**kwargs)
        self.max_value = max_value

    def to_python(self, value):
        if isinstance(value, Decimal):
            return value
        try:
            number = parse_decimal(value)
        except AmountError as error:
            raise forms.ValidationError(str(error), code="invalid") from error
        if number is None:
            return None
        if number > self.max_value:
            raise forms.ValidationError(
                gettext("%(value)s is te groot; het hoogste getal is %(max)s.")
                % {"value": value, "max": formatting.nl_number(self.max_value)},
                code="max_value",
            )
        if number != number.quantize(Decimal("0.01")):
            raise forms.ValidationError(
                gettext("%(value)s heeft meer dan twee decimalen.") % {"value": value},
                code="decimals",
            )
        return number


class NarrativeField(forms.CharField):
    """Narrative text, typed or pasted from Word: stored as typed (plain text, see
    `programmes.text`), line breaks normalised, control characters refused with a message
    that names them. A refused text stays in the text area as it was typed."""

    def __init__(self, *, rows: int = 4, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": rows, "class": "form-control"}))
        super().__init__(**kwargs)

    def to_python(self, value):
        return super().to_python(text.normalise_text(value))


def _report_value(data: dict, name: str):
    """A cleaned report field for the services: an amount stays None when empty, text ''."""
    value = data.get(name)
    if isinstance(ReportForm.base_fields[name], DutchDecimalField):
        return value
    return value or ""


class ReportForm(forms.Form):
    """The report's own fields: summary, light and its explanation, highlight."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    summary = NarrativeField(label=_("Samenvatting"), rows=6)
    reported_light = forms.ChoiceField(
        label=_("Stoplicht volgens u"),
        choices=ProgressReport.REPORTED_LIGHTS,
        required=False,
        widget=forms.RadioSelect,
    )
    light_cause = NarrativeField(label=_("Oorzaak"), rows=3)
    light_consequences = NarrativeField(label=_("Gevolgen"), rows=3)
    light_recovery = NarrativeField(label=_("Bijsturing"), rows=3)
    light_explanation = NarrativeField(
        label=_("Toelichting stoplicht"),
        rows=3,
        help_text=_("Verplicht als uw stoplicht afwijkt van het berekende."),
    )
    budget_note = NarrativeField(label=_("Toelichting financiën"), rows=3)
    stated_cost_total = DutchDecimalField(
        label=_("Opgegeven totaal uitgaven (€)"),
        money=True,
        help_text=_(
            "Alleen als de bron een totaal van realisatie en prognose noemt; het staat naast "
            "het berekende totaal, met het verschil."
        ),
    )
    stated_income_total = DutchDecimalField(
        label=_("Opgegeven totaal begroot, inkomsten (€)"),
        money=True,
        help_text=_("Alleen als de bron een totaal van de kolom Begroot noemt."),
    )
    stated_totals_note = NarrativeField(label=_("Toelichting opgegeven totalen"), rows=2)
    highlight = forms.ChoiceField(
        label=_("Highlight"),
        choices=ProgressReport.Highlight.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    highlight_text = forms.CharField(
        label=_("Highlight in één regel"), max_length=300, required=False
    )

    # One box per carried-over section: "ongewijzigd t.o.v. peildatum …" (see
    # `programmes.read.changes.SECTIONS`); shown only for the sections still carried over.
    confirm_summary = forms.BooleanField(required=False)
    confirm_activities = forms.BooleanField(required=False)
    confirm_planning = forms.BooleanField(required=False)
    confirm_finances = forms.BooleanField(required=False)
    confirm_light = forms.BooleanField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("highlight") and not cleaned.get("highlight_text", "").strip():
            self.add_error("highlight_text", gettext("Geef de highlight een regel tekst."))
        if cleaned.get("highlight_text") and not cleaned.get("highlight"):
            self.add_error("highlight", gettext("Kies positief of bijgesteld bij deze tekst."))
        return cleaned


class ActivityForm(forms.Form):
    """One planned activity and its progress; rows are added and removed by the user."""

    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    year = forms.IntegerField(label=_("Jaar"), required=False, min_value=1990, max_value=2100)
    activity = NarrativeField(label=_("Geplande activiteit"), rows=3)
    progress = NarrativeField(label=_("Voortgang"), rows=4)
    is_delayed = forms.BooleanField(
        label=_("Vertraagd"),
        required=False,
        help_text=_("Aanvinken als deze activiteit achterloopt op de planning."),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("progress") and not cleaned.get("activity"):
            self.add_error("activity", gettext("Beschrijf de activiteit bij deze voortgang."))
        return cleaned


class BaseActivityFormSet(forms.BaseFormSet):
    def to_inputs(self) -> tuple[services.ActivityInput, ...]:
        rows = []
        for form in self.forms:
            data = form.cleaned_data
            if not data or (self.can_delete and data.get("DELETE")) or not data.get("activity"):
                continue
            rows.append(
                services.ActivityInput(
                    pk=data.get("id"),
                    year=data.get("year"),
                    activity=data["activity"],
                    progress=data.get("progress", ""),
                    is_delayed=bool(data.get("is_delayed")),
                )
            )
        return tuple(rows)


ActivityFormSet = forms.formset_factory(
    ActivityForm, formset=BaseActivityFormSet, extra=0, can_delete=True
)


class IndicatorValueForm(forms.Form):
    """The realisation of one indicator, judged against last period's value."""

    value = DutchDecimalField(label=_("Realisatie"))
    note = NarrativeField(label=_("Toelichting"), rows=2)

    def __init__(self, *args, line, **kwargs):
        super().__init__(*args, **kwargs)
        self.line = line
        self.fields["value"].label = line.indicator.name

    def clean(self):
        cleaned = super().clean()
        problem = lower_value_problem(
            self.line.indicator,
            value=cleaned.get("value"),
            note=cleaned.get("note", ""),
            previous=self.line.previous_value,
        )
        if problem:
            self.add_error("note", problem)
        return cleaned


class PlanningChangeForm(forms.Form):
    original_description = NarrativeField(label=_("Activiteiten volgens projectplan"), rows=2)
    changed_description = NarrativeField(label=_("Gewijzigde beschrijving"), rows=2)


class BudgetLineForm(forms.Form):
    budget = DutchDecimalField(label=_("Begroting"), money=True)
    spent = DutchDecimalField(label=_("Uitgaven (realisatie)"), money=True)
    forecast = DutchDecimalField(label=_("Uitgaven (prognose)"), money=True)


class FundingLineForm(forms.Form):
    budgeted = DutchDecimalField(label=_("Begroot"), money=True)
    received = DutchDecimalField(label=_("Ontvangen / beschikbaar"), money=True)
    committed = DutchDecimalField(label=_("Toegezegd"), money=True)
    to_request = DutchDecimalField(label=_("Nog aan te vragen"), money=True)
    note = NarrativeField(
        label=_("Toelichting"),
        max_length=2000,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )


def _add_class(widget, css: str) -> None:
    widget.attrs = {**widget.attrs, "class": f"{widget.attrs.get('class', '')} {css}".strip()}


@dataclass(frozen=True)
class ErrorItem:
    """One line of the error summary: the field's id, its name in words and the problem."""

    anchor: str
    label: str
    message: str


class ReportFormBundle:
    """All forms of one report page, bound or unbound, validated together.

    Field names are stable (`ind-<indicator>-value`, `budget-<year>-spent`, ...) so that
    a returned page shows every typed character again and errors land on their field.
    """

    def __init__(
        self,
        context: ReportContext,
        data=None,
        *,
        extra_activity: bool = False,
        lights_url: str = "",
    ):
        report = context.report
        self.context = context
        initial = {name: getattr(report, name) for name in services.REPORT_FIELDS}
        initial["version"] = report.version
        self.report = ReportForm(data, initial=initial)
        activities = [
            {
                "id": row.pk,
                "year": row.year,
                "activity": row.activity,
                "progress": row.progress,
                "is_delayed": row.is_delayed,
            }
            for row in report.activities.all()
        ]
        if data is not None and extra_activity:
            data = data.copy()
            total = int(data.get("act-TOTAL_FORMS", 0) or 0)
            data["act-TOTAL_FORMS"] = str(total + 1)
        elif data is None and extra_activity:
            activities.append({})
        self.activities = ActivityFormSet(data, initial=activities, prefix="act")
        self._label_carried_over()
        values = {row.indicator_id: row for row in report.values.all()}
        self.indicators = [
            (
                line,
                IndicatorValueForm(
                    data,
                    line=line,
                    prefix=f"ind-{line.indicator.pk}",
                    initial={
                        "value": values[line.indicator.pk].value
                        if line.indicator.pk in values
                        else None,
                        "note": values[line.indicator.pk].note
                        if line.indicator.pk in values
                        else "",
                    },
                ),
            )
            for line in context.lines
        ]
        if lights_url:
            # htmx: recompute the lights (through programmes.status) while the user types.
            for _line, form in self.indicators:
                form.fields["value"].widget.attrs.update(
                    {
                        "hx-post": lights_url,
                        "hx-trigger": "input changed delay:400ms",
                        "hx-include": "[data-indicator-value]",
                        "hx-swap": "none",
                        "data-indicator-value": "",
                    }
                )
        planning = {row.year: row for row in report.planning_changes.all()}
        self.planning = [
            (
                year,
                PlanningChangeForm(
                    data,
                    prefix=f"plan-{year}",
                    initial={
                        "original_description": getattr(
                            planning.get(year), "original_description", ""
                        ),
                        "changed_description": getattr(
                            planning.get(year), "changed_description", ""
                        ),
                    },
                ),
            )
            for year in context.years
        ]
        budget = {row.year: row for row in report.budget_lines.all()}
        self.budget = [
            (
                year,
                BudgetLineForm(
                    data,
                    prefix=f"budget-{year}",
                    initial={
                        name: getattr(budget.get(year), name, None)
                        for name in ("budget", "spent", "forecast")
                    },
                ),
            )
            for year in context.years
        ]
        funding = {row.source_id: row for row in report.funding_lines.all()}
        self.funding = [
            (
                source,
                FundingLineForm(
                    data,
                    prefix=f"fund-{source.pk}",
                    initial={
                        name: getattr(funding.get(source.pk), name, None)
                        for name in ("budgeted", "received", "committed", "to_request")
                    }
                    | {"note": getattr(funding.get(source.pk), "note", "")},
                ),
            )
            for source in context.funding_sources
        ]

    def _label_carried_over(self) -> None:
        """Name each confirmation box after its section and the source's peildatum, and
        mark the texts of a carried-over section (a dashed edge, with the words beside)."""
        report = self.context.report
        source = report.carried_over_from if report.carried_over else None
        self.carried_from = source.period.label if source is not None else ""
        for key, label in changes.SECTIONS:
            self.report.fields[f"confirm_{key}"].label = gettext(
                "%(section)s ongewijzigd t.o.v. %(period)s"
            ) % {"section": label, "period": self.carried_from}
        carried = set(report.carried_over or ())
        marked = {
            "summary": ["summary"],
            "finances": ["budget_note"],
            "light": [name for name, _label in changes.LIGHT_TEXTS],
        }
        for key, names in marked.items():
            if key in carried:
                for name in names:
                    _add_class(self.report.fields[name].widget, "carried-over-text")
        if "activities" in carried:
            for form in self.activities.forms:
                if form.initial:
                    _add_class(form.fields["progress"].widget, "carried-over-text")

    @property
    def carried_sections(self) -> list[tuple[str, str, forms.BoundField]]:
        """The sections still carried over: (key, label, confirmation box), in form order."""
        carried = set(self.context.report.carried_over or ())
        return [
            (key, str(label), self.report[f"confirm_{key}"])
            for key, label in changes.SECTIONS
            if key in carried
        ]

    @property
    def carried(self) -> dict[str, forms.BoundField]:
        """The confirmation box by section key, for the sections still carried over."""
        return {key: field for key, _label, field in self.carried_sections}

    def confirmed_sections(self) -> list[str]:
        """The sections the user ticked "ongewijzigd" in this post."""
        data = self.report.cleaned_data
        return [key for key, _label in changes.SECTIONS if data.get(f"confirm_{key}")]

    @property
    def funding_in_use(self) -> list:
        """The sources this project reports on, or every source while it has none yet."""
        used = [(source, form) for source, form in self.funding if source.in_use]
        return used or self.funding

    @property
    def funding_other(self) -> list:
        """The sources the region offers that this project has not used so far."""
        in_use = {source.pk for source, _form in self.funding_in_use}
        return [(source, form) for source, form in self.funding if source.pk not in in_use]

    @property
    def planning_filled(self) -> int:
        """How many years have a planning change (typed or stored): 0 folds the section."""
        return sum(
            1
            for _year, form in self.planning
            if any(form[name].value() for name in form.fields) or (form.is_bound and form.errors)
        )

    @property
    def light_texts_filled(self) -> bool:
        """Cause, consequences, recovery or explanation typed, stored or refused: open."""
        names = ("light_cause", "light_consequences", "light_recovery", "light_explanation")
        return any(self.report[name].value() or self.report.errors.get(name) for name in names)

    @property
    def highlight_filled(self) -> bool:
        names = ("highlight", "highlight_text")
        return any(self.report[name].value() or self.report.errors.get(name) for name in names)

    @property
    def stated_totals_filled(self) -> bool:
        names = ("stated_cost_total", "stated_income_total", "stated_totals_note")
        return any(self.report[name].value() or self.report.errors.get(name) for name in names)

    @property
    def funding_other_has_errors(self) -> bool:
        return any(form.errors for _source, form in self.funding_other if form.is_bound)

    def all_forms(self):
        yield self.report
        yield from (form for _line, form in self.indicators)
        yield from (form for _year, form in self.planning)
        yield from (form for _year, form in self.budget)
        yield from (form for _source, form in self.funding)

    def is_valid(self) -> bool:
        results = [form.is_valid() for form in self.all_forms()]
        results.append(self.activities.is_valid())
        self.mark_invalid_fields()
        return all(results)

    def mark_invalid_fields(self) -> None:
        """Fields rendered by hand in table cells: mark errors for sight and screen readers."""
        for form in self.all_forms():
            for name in form.errors:
                if name in form.fields:
                    widget = form.fields[name].widget
                    css = widget.attrs.get("class", "")
                    widget.attrs["class"] = f"{css} is-invalid".strip()
                    widget.attrs["aria-invalid"] = "true"
                    widget.attrs["aria-describedby"] = f"{form[name].id_for_label}-fout"

    def labelled_forms(self):
        """Every form of the page with the words that name its fields in the error summary."""
        yield self.report, ""
        for number, form in enumerate(self.activities.forms, 1):
            yield form, gettext("Activiteit %(number)s") % {"number": number}
        for line, form in self.indicators:
            yield form, line.indicator.name
        for year, form in self.planning:
            yield form, gettext("Planning %(year)s") % {"year": year}
        for year, form in self.budget:
            yield form, gettext("Kosten %(year)s") % {"year": year}
        for source, form in self.funding:
            yield form, source.name

    def error_items(self) -> list[ErrorItem]:
        """Every problem on the page, in page order, with the id of the field it concerns:
        the error summary at the top of the form links each one to its field."""
        items = []
        for form, subject in self.labelled_forms():
            if not form.is_bound:
                continue
            for name, errors in form.errors.items():
                if name in form.fields:
                    bound = form[name]
                    anchor = bound.auto_id
                    if isinstance(form.fields[name].widget, forms.RadioSelect):
                        anchor = f"{anchor}_0"
                    label = str(form.fields[name].label or name)
                    if subject and label != subject:
                        label = f"{subject}: {label}"
                else:
                    anchor, label = "report-form", subject or gettext("Formulier")
                for message in errors:
                    items.append(ErrorItem(anchor=anchor, label=label, message=str(message)))
        for message in self.activities.non_form_errors():
            items.append(
                ErrorItem(anchor="kop-activiteiten", label=gettext("Activiteiten"), message=message)
            )
        return items

    @property
    def error_count(self) -> int:
        count = sum(len(form.errors) for form in self.all_forms())
        count += sum(len(form.errors) for form in self.activities.forms)
        return count + len(self.activities.non_form_errors())

    def add_problems(self, problems) -> None:
        """Show the completeness problems of the workflow on their fields."""
        forms_by_prefix = {f"ind-{line.indicator.pk}": form for line, form in self.indicators}
        for name, message in problems:
            if name.startswith("ind-"):
                prefix, _sep, field = name.rpartition("-")
                form = forms_by_prefix.get(prefix)
                if form is not None:
                    form.add_error(field, message)
                    continue
            if name in self.report.fields:
                self.report.add_error(name, message)
            else:
                self.report.add_error(None, message)

    def to_input(self) -> services.ReportInput:
        data = self.report.cleaned_data
        return services.ReportInput(
            **{name: _report_value(data, name) for name in services.REPORT_FIELDS},
            activities=self.activities.to_inputs(),
            values=tuple(
                services.IndicatorValueInput(
                    indicator_id=line.indicator.pk,
                    value=form.cleaned_data.get("value"),
                    note=form.cleaned_data.get("note", "").strip(),
                )
                for line, form in self.indicators
            ),
            planning_changes=tuple(
                services.PlanningChangeInput(year=year, **form.cleaned_data)
                for year, form in self.planning
            ),
            budget_lines=tuple(
                services.BudgetLineInput(year=year, **form.cleaned_data)
                for year, form in self.budget
            ),
            funding_lines=tuple(
                services.FundingLineInput(source_id=source.pk, **form.cleaned_data)
                for source, form in self.funding
            ),
        )


class ReasonForm(forms.Form):
    """A required comment: why a report is returned or reopened."""

    reason = forms.CharField(
        label=_("Reden"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Schrijf de reden op; de coördinator leest die.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        # Refused: the focus goes straight to the field that needs the reason (WCAG 3.3.1).
        if self.is_bound and self.errors.get("reason"):
            self.fields["reason"].widget.attrs["autofocus"] = True
