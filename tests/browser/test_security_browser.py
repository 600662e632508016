"""Two-step sign-in and the Content-Security-Policy in a real browser (docs/security.md).

- a manager signs in with password and a code from their authenticator (computed here from
  the device's secret, as the app computes it);
- a manager without two-step verification is sent to enrolment and reaches nothing else
  until it is done; enrolment and the code page are accessible (axe);
- the main pages run without a single CSP violation (the browser's own report, from the
  securitypolicyviolation event and the console), charts and htmx included.
"""

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from programmes import services
from tests.browser_support import log_in_as, sign_in
from tests.worlds import journey_world as build_journey_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Collects every CSP violation the page reports, before any of our scripts runs.
WATCH_CSP = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', function (event) {
  window.__cspViolations.push(event.violatedDirective + ' ' + (event.blockedURI || 'inline')
    + ' ' + (event.sourceFile || '') + ':' + event.lineNumber);
});
"""


def current_code(device: TOTPDevice) -> str:
    device.refresh_from_db()
    value = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    return f"{value:06d}"


@pytest.fixture
def world():
    return build_journey_world()


@pytest.fixture
def mfa_required(settings):
    settings.DEMO_MODE = False
    settings.MFA_REQUIRED_ROLES = ["*"]


def test_a_manager_signs_in_with_password_and_code(page, world, mfa_required, axe_check):
    device = TOTPDevice.objects.create(user=world.manager, name="app", confirmed=True)
    sign_in(page, world.manager.username)
    expect(page.get_by_role("heading", name="Code invoeren")).to_be_visible()
    assert page.locator("html").get_attribute("lang") == "nl"
    axe_check(page, "code invoeren")
    page.get_by_label("Code").fill(current_code(device))
    page.get_by_role("button", name="Aanmelden").click()
    expect(page.get_by_role("link", name="Dashboard")).to_be_visible()
    assert reverse("accounts:mfa_verify") not in page.url


def test_a_manager_without_mfa_must_enrol_first(page, world, mfa_required, axe_check):
    sign_in(page, world.manager.username)
    expect(page.get_by_role("heading", name="Tweestapsverificatie instellen")).to_be_visible()
    axe_check(page, "tweestapsverificatie instellen")
    # Nothing else opens until enrolment is done.
    for path in ["/beheer/", reverse("reports:index"), reverse("reporting:my_reports"), "/"]:
        page.goto(path)
        expect(page.get_by_role("heading", name="Tweestapsverificatie instellen")).to_be_visible()
    expect(
        page.get_by_role("img", name="QR-code om de authenticator-app in te stellen")
    ).to_be_visible()
    device = TOTPDevice.objects.get(user=world.manager, confirmed=False)
    page.get_by_label("Code").fill(current_code(device))
    page.get_by_role("button", name="Bevestigen").click()
    expect(page.get_by_role("heading", name="Uw herstelcodes")).to_be_visible()
    axe_check(page, "herstelcodes")
    page.get_by_role("link", name="Ik heb de codes bewaard, verder").click()
    expect(page.get_by_role("link", name="Dashboard")).to_be_visible()


def test_the_main_pages_have_no_csp_violations(page, client, live_server, world):
    """Home, a programme with charts, a project, the report form and the reports page."""
    report = services.start_report(
        project=world.zorgstart, period=world.open_period, user=world.coordinator
    )
    page.add_init_script(WATCH_CSP)
    console: list[str] = []
    page.on(
        "console",
        lambda message: (
            console.append(message.text)
            if "Content Security Policy" in message.text
            or "Content-Security-Policy" in message.text
            else None
        ),
    )
    slug = world.programme.slug
    pages = {
        "home": "/",
        "programme": reverse("dashboard:programme", args=[slug]),
        "project": reverse("dashboard:project", args=[slug, world.zorgstart.code]),
        "report form": reverse("reporting:report_edit", args=[report.pk]),
        "reports": reverse("reports:index"),
    }
    log_in_as(page, client, live_server, world.manager)
    violations = {}
    for name, path in pages.items():
        if name == "report form":
            log_in_as(page, client, live_server, world.coordinator)
        console.clear()
        page.goto(path)
        page.wait_for_load_state("networkidle")
        if name in ("programme", "project"):  # plotly drew, with its rules from plotly.css
            expect(page.locator(".chart-drawn").first).to_be_visible()
        found = page.evaluate("window.__cspViolations") + list(console)
        if found:
            violations[name] = found
    assert violations == {}, "\n".join(f"{name}: {found}" for name, found in violations.items())


def test_sign_in_pages_have_no_csp_violations(page):
    page.add_init_script(WATCH_CSP)
    page.goto(reverse("login"))
    page.wait_for_load_state("networkidle")
    assert page.evaluate("window.__cspViolations") == []
