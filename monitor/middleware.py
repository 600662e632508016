"""Dutch first: the interface speaks Dutch until the user picks another language.

Django's LocaleMiddleware follows the browser's Accept-Language. Our users are Dutch civil
servants and aldermen, many on a laptop or tablet set to English; for them a sudden English
screen is a surprise, not a service. So the language comes from the choice made in the menu
(the language cookie that /i18n/setlang/ sets) and otherwise is LANGUAGE_CODE, Dutch.
This middleware only chooses the language; it never translates or formats anything.

TextGZipMiddleware compresses the text we send (HTML, CSV, JSON); see docs/dashboard.md
("Compressie") for why that is safe against BREACH. It never touches PDFs or workbooks,
which are compressed already.
"""

from django.conf import settings
from django.middleware.gzip import GZipMiddleware
from django.utils import translation


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
