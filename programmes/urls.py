"""URLs of progress reporting (namespace "reporting"), mounted at /rapportages/."""

from django.urls import path

from programmes import views

app_name = "reporting"

urlpatterns = [
    path("", views.my_reports, name="my_reports"),
    path("start/", views.landing, name="landing"),
    path(
        "project/<int:project_pk>/periode/<int:period_pk>/starten/",
        views.start_report,
        name="start_report",
    ),
    path("<int:pk>/", views.report_detail, name="report_detail"),
    path("<int:pk>/bewerken/", views.report_edit, name="report_edit"),
    path("<int:pk>/stoplichten/", views.indicator_lights, name="indicator_lights"),
    path("<int:pk>/goedkeuren/", views.approve, name="approve"),
    path("<int:pk>/terugsturen/", views.return_report, name="return"),
    path("<int:pk>/heropenen/", views.reopen, name="reopen"),
    path("programma/<slug:slug>/perioden/", views.programme_periods, name="programme_periods"),
    path(
        "programma/<slug:slug>/perioden/aanmaken/",
        views.generate_periods,
        name="generate_periods",
    ),
    path("perioden/<int:pk>/sluiten/", views.close_period, name="close_period"),
    path("perioden/<int:pk>/herinneren/", views.remind, name="remind"),
]
