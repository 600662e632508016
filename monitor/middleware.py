"""Dutch first: the interface speaks Dutch until the user picks another language.

Django's LocaleMiddleware follows the browser's Accept-Language. Our users are Dutch civil
servants and aldermen, many on a laptop or tablet set to English; for them a sudden English
screen is a surprise, not a service. So the language comes from the choice made in the menu
(the language cookie that /i18n/setlang/ sets) and otherwise is LANGUAGE_CODE, Dutch.
This middleware only chooses the language; it never translates or formats anything.

The security middleware (docs/security.md) is at the end of this module: a request id for
every request and its audit lines, the idle timeout, the step after the password (code or
enrolment), Cache-Control for signed-in users, and audit lines for downloads and refusals.
None of them renders a page or changes data beyond the session.

TextGZipMiddleware compresses the text we send (HTML, CSV, JSON); see docs/dashboard.md
("Compressie") for why that is safe against BREACH. It never touches PDFs or workbooks,
which are compressed already.
"""

import re
import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.middleware.gzip import GZipMiddleware
from django.shortcuts import redirect, resolve_url
from django.urls import Resolver404, resolve, reverse
from django.utils import translation

from monitor import accounts, audit


class DutchFirstLocaleMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        return response


COMPRESSED_TYPES = ("text/html", "text/csv", "text/plain", "application/json")


class TextGZipMiddleware(GZipMiddleware):
    """Django's GZipMiddleware (random padding against BREACH) for text responses only:
    gzipping a PDF or an .xlsx costs time and saves nothing."""

    def process_response(self, request, response):
        content_type = response.get("Content-Type", "").split(";", 1)[0].strip()
        if content_type not in COMPRESSED_TYPES:
            return response
        return super().process_response(request, response)


# --- i16 security middleware (docs/security.md) -------------------------------------------

REQUEST_ID_HEADER = "X-Request-ID"
_SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestIDMiddleware:
    """Give every request an id (kept from a proxy's X-Request-ID when it looks like one),
    make the request known to `monitor.audit` for the time it is served, and send the id back
    so a user's report of a problem can be found in the logs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.META.get("HTTP_X_REQUEST_ID", "")
        safe = _SAFE_REQUEST_ID.match(incoming)
        request.request_id = incoming if safe else audit.new_request_id()
        token = audit.current_request.set(request)
        try:
            response = self.get_response(request)
        finally:
            audit.current_request.reset(token)
        response.headers[REQUEST_ID_HEADER] = request.request_id
        return response


def _exempt_from_sign_in_steps(request) -> bool:
    """The pages a half-signed-in user may still reach: the second step itself, signing out,
    the language switch, the session ping and static files."""
    if request.path_info.startswith("/" + settings.STATIC_URL.lstrip("/")):
        return True
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return False
    return match.view_name in accounts.HALF_SIGNED_IN_VIEWS


class SessionTimeoutMiddleware:
    """Sign out after SESSION_IDLE_TIMEOUT seconds without a request, and SESSION_COOKIE_AGE
    after signing in at the latest; the sign-in page then says why (?sessie=verlopen)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            last = request.session.get(accounts.LAST_ACTIVITY_KEY)
            signed_in = request.session.get(accounts.SIGNED_IN_AT_KEY)
            idle = last is not None and now - last > settings.SESSION_IDLE_TIMEOUT
            too_old = signed_in is not None and now - signed_in > settings.SESSION_COOKIE_AGE
            if idle or too_old:
                user = request.user
                audit.record(
                    action="auth.timeout",
                    actor=user,
                    detail={"reason": "idle" if idle else "max_age"},
                )
                logout(request)
                login_url = resolve_url(settings.LOGIN_URL)
                query = urlencode({"sessie": "verlopen", "next": request.get_full_path()})
                if request.headers.get("HX-Request"):
                    response = HttpResponse(status=204)
                    response["HX-Redirect"] = f"{login_url}?{query}"
                    return response
                return redirect(f"{login_url}?{query}")
            # Write the session at most once a minute, not on every request; asking how much
            # time is left (static/js/session.js) is not activity.
            asks_time_left = request.method == "GET" and request.path_info == reverse(
                "accounts:session"
            )
            if not asks_time_left and (last is None or now - last >= 60):
                request.session[accounts.LAST_ACTIVITY_KEY] = now
        return self.get_response(request)


class SecondFactorMiddleware:
    """After the password: a user with a device gives the code, a user who must enrol and has
    no device enrols; until then every other page redirects to that step. The state is
    decided once at sign-in (`monitor.accounts.sign_in_step`) and kept in the session, so this
    costs no query."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        step = request.session.get(accounts.STEP_KEY) if request.user.is_authenticated else None
        if step in accounts.STEP_VIEWS and not _exempt_from_sign_in_steps(request):
            target = reverse(accounts.STEP_VIEWS[step])
            if request.method == "GET" and not request.headers.get("HX-Request"):
                return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
            return redirect(target)
        return self.get_response(request)


class NoStoreMiddleware:
    """What a signed-in user sees, and every download, stays out of shared and browser caches:
    Cache-Control: private, no-store (BIO2 8.12/5.33: no copies of reports on shared PCs)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        downloads = response.get("Content-Disposition", "").startswith("attachment")
        if downloads or request.user.is_authenticated:
            response["Cache-Control"] = "private, no-store"
            response.headers.pop("Expires", None)
        return response


# URL names whose successful responses are downloads or imports, with the audit action.
AUDITED_VIEWS = {
    "reports:project": "download.pdf",
    "reports:monitor": "download.pdf",
    "reports:agenda": "download.pdf",
    "reports:region": "download.pdf",
    "reports:job_download": "download.bundle",
    "excel:programme_export": "export.excel",
    "excel:region_export": "export.excel",
    "excel:import_template": "download.import_template",
}


class AuditMiddleware:
    """Audit lines for downloads and exports (by URL name, so the views stay as they are) and
    for every refusal: a PermissionDenied or Http404 raised by a view, or a 403 response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        view_name = match.view_name if match else ""
        if view_name in AUDITED_VIEWS and response.status_code == 200:
            audit.record(
                action=AUDITED_VIEWS[view_name],
                object_type=view_name,
                object_id="/".join(str(value) for value in match.kwargs.values()),
                detail={"query": request.GET.urlencode()[:200]} if request.GET else None,
            )
        elif response.status_code == 403 and not getattr(request, "_audit_denied", False):
            self._denied(request, view_name, "forbidden")
        return response

    def process_exception(self, request, exception):
        if isinstance(exception, PermissionDenied | Http404):
            match = getattr(request, "resolver_match", None)
            reason = "not_found" if isinstance(exception, Http404) else "forbidden"
            # An anonymous visitor of a missing page is not an event; a signed-in user asking
            # for another region's object is.
            if request.user.is_authenticated or reason == "forbidden":
                self._denied(request, match.view_name if match else "", reason)
        return None

    @staticmethod
    def _denied(request, view_name: str, reason: str) -> None:
        request._audit_denied = True
        audit.record(
            action="permission.denied",
            object_type=view_name,
            object_id=request.path[:64],
            result=audit.DENIED,
            detail={"reason": reason, "method": request.method},
        )
