"""One truth: for every report of the demo data, the report page's read model
(`report_data.load_report_context`) and the dashboard's (`overview.project_overview`, which
the project PDF and the exports render) give the same lights, targets, expected values and
realisation. Before, the report page fell back to the programme's dates and used the current
streefwaarde, the dashboard neither: "Gezamenlijke aanpak GGZ" was rood on one and grijs on
the other."""

import pytest

from programmes import report_data
from programmes.demo import load_demo
from programmes.models import ProgressReport
from programmes.overview import programme_overview, project_overview
from reports import excel, service
from reports.common import ReportKind


@pytest.fixture
def demo(db, settings):
    settings.DEMO_MODE = True
    return load_demo()


def test_every_demo_report_shows_the_same_lights_on_the_report_page_and_the_dashboard(demo):
    reports = ProgressReport.objects.select_related("project__programme", "period")
    assert reports.count() > 30
    differences = []
    for report in reports:
        context = report_data.load_report_context(report)
        dashboard = project_overview(project=report.project, period=report.period)
        rows = {row.pk: row for row in dashboard.indicators}
        where = f"{report.project.title} @ {report.period.label}"
        if context.computed_light != dashboard.computed_light:
            differences.append((where, context.computed_light, dashboard.computed_light))
        for line in context.lines:
            row = rows[line.indicator.pk]
            page = (line.light, line.target, line.expected, line.value)
            board = (row.status.light, row.target, row.expected, row.actual)
            if page != board:
                differences.append((where, line.indicator.name, page, board))
    assert differences == []


def test_every_demo_report_shows_the_same_in_the_project_pdf_and_the_export(demo):
    """The project PDF (its data and its HTML, as WeasyPrint gets it) and the programme
    export at the same peildatum carry the report page's lights, realisation and totals."""
    reports = ProgressReport.objects.select_related("project__programme", "period")
    exports = {}
    differences = []
    for report in reports:
        context = report_data.load_report_context(report)
        html, pdf = service.report_html(
            ReportKind.PROJECT, scope_pk=report.project_id, period_pk=report.period_id
        )
        where = f"{report.project.title} @ {report.period.label}"
        if pdf.project.computed_light != context.computed_light:
            differences.append((where, "pdf", pdf.project.computed_light))
        if f"light-{context.computed_light.value}" not in html:
            differences.append((where, "pdf html lacks", context.computed_light))
        lines = {line.row.pk: line.row for line in pdf.indicators}
        for line in context.lines:
            row = lines[line.indicator.pk]
            if (row.status.light, row.actual, row.target) != (line.light, line.value, line.target):
                differences.append((where, "pdf", line.indicator.name))
        key = (report.project.programme_id, report.period_id)
        if key not in exports:
            overview = programme_overview(programme=report.project.programme, period=report.period)
            exports[key] = excel.export_tables([overview])[0]
        row = next(row for row in exports[key].rows if report.project.title in row)
        if str(context.computed_light.label) not in row:
            differences.append((where, "export", context.computed_light))
    assert differences == []


def test_the_export_carries_the_dashboards_light_for_each_project(demo):
    report = ProgressReport.objects.filter(project__title__contains="GGZ").first()
    assert report is not None
    overview = programme_overview(programme=report.project.programme, period=report.period)
    projects = excel.export_tables([overview])[0]
    context = report_data.load_report_context(report)
    row = next(row for row in projects.rows if report.project.title in row)
    assert str(context.computed_light.label) in row
