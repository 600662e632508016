"""A generated PDF is reused until the data behind it changes."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reports import service
from reports.common import ReportKind
from tests import factories
from tests.reports.helpers import pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def renders(monkeypatch):
    calls = []
    real = service.render_report

    def counting(kind, *, scope_pk, period_pk, drafts=True):
        calls.append((kind, scope_pk, period_pk))
        return real(kind, scope_pk=scope_pk, period_pk=period_pk, drafts=drafts)

    monkeypatch.setattr(service, "render_report", counting)
    return calls


def _download(project):
    report = project.reports.get()
    return service.report_for_download(
        ReportKind.PROJECT,
        scope_pk=project.pk,
        period_pk=report.period_id,
        programme_pk=project.programme_id,
    )


def test_unchanged_data_is_served_from_the_cache(zeeland, renders):
    first = _download(zeeland)
    second = _download(zeeland)

    assert second.pdf == first.pdf
    assert len(renders) == 1


def test_a_changed_value_yields_a_new_pdf(zeeland, renders):
    first = _download(zeeland)
    value = zeeland.reports.get().values.get(indicator__name__startswith="het aantal")
    value.value = Decimal("512")
    value.save()

    second = _download(zeeland)

    assert len(renders) == 2
    assert "512" in pdf_text(second.pdf)
    assert "512" not in pdf_text(first.pdf)


@pytest.mark.parametrize(
    "change",
    [
        "budget_line",
        "funding_line",
        "report_text",
        "deleted_activity",
        "new_pillar_name",
        "programme_threshold",
        "renamed_funding_source",
        "renamed_partner",
    ],
)
def test_every_kind_of_change_changes_the_fingerprint(zeeland, change):
    programme = zeeland.programme
    report = zeeland.reports.get()
    before = service.data_fingerprint(programme.pk)

    if change == "budget_line":
        line = report.budget_lines.get(year=2021)
        line.forecast = Decimal("60000")
        line.save()
    elif change == "funding_line":
        line = report.funding_lines.first()
        line.to_request = Decimal("1000")
        line.save()
    elif change == "report_text":
        report.budget_note = "Nieuwe toelichting."
        report.save()
    elif change == "deleted_activity":
        report.activities.first().delete()
    elif change == "new_pillar_name":
        factories.PillarFactory(programme=programme, name="Nieuwe pijler")
    elif change == "programme_threshold":
        programme.green_threshold = Decimal("0.95")
        programme.save()
    elif change == "renamed_funding_source":
        source = report.funding_lines.first().source
        source.name = "Regio Deal (hernoemd)"
        source.save()
    elif change == "renamed_partner":
        organisation = factories.OrganisationFactory(name="Partner")
        report.project.partners.add(organisation)
        before = service.data_fingerprint(programme.pk)
        organisation.name = "Partner (hernoemd)"
        organisation.save()

    assert service.data_fingerprint(programme.pk) != before


def test_a_change_in_another_programme_keeps_the_cached_pdf(zeeland, gooi, renders):
    _download(zeeland)
    other = gooi.projects.first().reports.get()
    other.summary = "Gewijzigd"
    other.save()

    _download(zeeland)

    assert len(renders) == 1


def test_the_fingerprint_takes_four_queries(zeeland):
    # The newest history row per table and the report aggregates (1), the pillars (1), the
    # organisations the projects name (1), the funding sources the reports use (1).
    with CaptureQueriesContext(connection) as captured:
        service.data_fingerprint(zeeland.programme_id)

    assert len(captured) == 4
