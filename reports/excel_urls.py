"""Excel and CSV: exports of what a user may see, and the import of realisations and budgets."""

from django.urls import path

from reports import excel_views

app_name = "excel"

urlpatterns = [
    path("programma/<slug:slug>/export/", excel_views.programme_export, name="programme_export"),
    path("regio/<slug:code>/export/", excel_views.region_export, name="region_export"),
    path("programma/<slug:slug>/import/", excel_views.import_start, name="import_start"),
    path(
        "programma/<slug:slug>/import/<str:peildatum>/sjabloon/",
        excel_views.import_template,
        name="import_template",
    ),
    path(
        "programma/<slug:slug>/import/<str:peildatum>/",
        excel_views.import_upload,
        name="import_upload",
    ),
    path(
        "programma/<slug:slug>/import/<str:peildatum>/bevestigen/",
        excel_views.import_confirm,
        name="import_confirm",
    ),
]
