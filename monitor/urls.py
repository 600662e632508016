from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from monitor import accounts_views, views

dashboard_patterns = (
    [
        path("", views.home, name="home"),
        path("programma/<slug:slug>/", views.programme, name="programme"),
        path("programma/<slug:slug>/project/<str:code>/", views.project, name="project"),
    ],
    "dashboard",
)

account_patterns = (
    [
        path("tweestapsverificatie/", accounts_views.mfa_enrol, name="mfa_enrol"),
        path("tweestapsverificatie/code/", accounts_views.mfa_verify, name="mfa_verify"),
        path(
            "tweestapsverificatie/herstelcodes/",
            accounts_views.mfa_recovery_codes,
            name="mfa_recovery_codes",
        ),
        path("sessie/", accounts_views.session, name="session"),
        path("gebruikers/", accounts_views.users, name="users"),
        path("gebruikers/uitnodigen/", accounts_views.invite, name="invite"),
        path("gebruikers/<int:pk>/deactiveren/", accounts_views.deactivate, name="deactivate"),
        path(
            "gebruikers/<int:pk>/tweestapsverificatie-resetten/",
            accounts_views.reset_mfa,
            name="reset_mfa",
        ),
        path(
            "uitnodiging/<uidb64>/<token>/",
            accounts_views.InvitationConfirmView.as_view(),
            name="invitation",
        ),
    ],
    "accounts",
)

urlpatterns = [
    path("", include(dashboard_patterns)),
    path("rapportages/", include("programmes.urls")),
    path("aanmelden/", auth_views.LoginView.as_view(), name="login"),
    path("afmelden/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/", include(account_patterns)),
    path(
        "wachtwoord-vergeten/",
        accounts_views.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "wachtwoord-vergeten/verstuurd/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "wachtwoord-instellen/<uidb64>/<token>/",
        accounts_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "wachtwoord-instellen/klaar/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("i18n/", include("django.conf.urls.i18n")),
    path("rapporten/", include("reports.urls")),
    path("beheer/", admin.site.urls),
    path("excel/", include("reports.excel_urls")),
]

admin.site.site_header = _("Arbeidsmarktmonitor – beheer")
admin.site.site_title = _("Arbeidsmarktmonitor")
admin.site.index_title = _("Beheer")
