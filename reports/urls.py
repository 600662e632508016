"""URLs of the reports: the "Rapporten" page and the three PDF downloads.

A peildatum in a URL is an ISO date (2020-01-01); it must be a period of the programme.
"""

import datetime

from django.urls import path, register_converter

from reports import jobs_views, views


class IsoDateConverter:
    regex = r"\d{4}-\d{2}-\d{2}"

    def to_python(self, value: str) -> datetime.date:
        return datetime.date.fromisoformat(value)

    def to_url(self, value: datetime.date | str) -> str:
        return value.isoformat() if isinstance(value, datetime.date) else str(value)


register_converter(IsoDateConverter, "isodate")

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path(
        "voortgangsrapportage/<int:project_pk>/<isodate:peildatum>/",
        views.project_report,
        name="project",
    ),
    path(
        "programmamonitor/<slug:programme>/<isodate:peildatum>/",
        views.programme_monitor,
        name="monitor",
    ),
    path(
        "regiomonitor/<slug:region>/<isodate:peildatum>/",
        views.region_monitor,
        name="region",
    ),
    path(
        "agenda-overzicht/<slug:programme>/<isodate:peildatum>/",
        views.agenda_overview,
        name="agenda",
    ),
    # Report bundles, made by a Celery worker (reports/jobs.py).
    path("bundels/", jobs_views.job_list, name="jobs"),
    path("bundels/nieuw/", jobs_views.request_bundle, name="job_request"),
    path("bundels/<int:pk>/", jobs_views.job_detail, name="job"),
    path("bundels/<int:pk>/status/", jobs_views.job_status, name="job_status"),
    path("bundels/<int:pk>/annuleren/", jobs_views.cancel, name="job_cancel"),
    path("bundels/<int:pk>/opnieuw/", jobs_views.retry, name="job_retry"),
    path("bundels/<int:pk>/download/", jobs_views.download, name="job_download"),
]
