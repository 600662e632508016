from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from monitor import views

dashboard_patterns = (
    [
        path("", views.home, name="home"),
        path("programma/<slug:slug>/", views.programme, name="programme"),
        path("programma/<slug:slug>/project/<str:code>/", views.project, name="project"),
    ],
    "dashboard",
)

urlpatterns = [
    path("", include(dashboard_patterns)),
    path("rapportages/", include("programmes.urls")),
    path("aanmelden/", auth_views.LoginView.as_view(), name="login"),
    path("afmelden/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("rapporten/", include("reports.urls")),
    path("beheer/", admin.site.urls),
    path("excel/", include("reports.excel_urls")),
]

admin.site.site_header = _("Arbeidsmarktmonitor – beheer")
admin.site.site_title = _("Arbeidsmarktmonitor")
admin.site.index_title = _("Beheer")
