"""Dutch by default, English on request: the language choice and the English catalogue."""

import gettext
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from programmes.status import Light
from tests import factories

pytestmark = pytest.mark.django_db

LOGIN = reverse("login")
HOME = reverse("dashboard:home")
CATALOGUE = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}")


def text(response) -> str:
    return response.content.decode()


def test_without_a_preference_everything_is_dutch(client):
    page = text(client.get(LOGIN))
    assert '<html lang="nl">' in page
    assert "Aanmelden" in page
    assert "Sign in" not in page


def test_an_english_browser_still_gets_dutch(client):
    # Dutch first: the browser's language does not switch the interface, the menu does.
    response = client.get(LOGIN, headers={"accept-language": "en-GB,en;q=0.9"})
    page = text(response)
    assert '<html lang="nl">' in page
    assert "Aanmelden" in page
    assert "Sign in" not in page
    assert response["Content-Language"] == "nl"


def test_the_english_sign_in_page_after_choosing_english(client):
    client.post(reverse("set_language"), {"language": "en", "next": LOGIN})
    response = client.get(LOGIN)
    page = text(response)
    assert '<html lang="en">' in page
    assert '<h1 class="h3 mb-3">Sign in</h1>' in page
    assert "Sign in to view or fill in the progress" in page
    assert "Aanmelden" not in page
    assert "Meld u aan" not in page
    assert response["Content-Language"] == "en"


def test_an_unknown_language_in_the_cookie_falls_back_to_dutch(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    assert "Aanmelden" in text(client.get(LOGIN))


def test_signed_in_user_switches_to_english_with_the_language_selector(client, wethouder):
    client.force_login(wethouder)
    dutch = text(client.get(HOME))
    assert "Overzicht" in dutch
    assert "Afmelden" in dutch

    response = client.post(reverse("set_language"), {"language": "en", "next": HOME})
    assert response.status_code == 302
    assert response["Location"] == HOME

    english = text(client.get(HOME))
    assert '<html lang="en">' in english
    assert '<h1 class="h3">Overview</h1>' in english
    assert ">Dashboard</a>" in english
    assert "My reports" in english
    assert "Sign out" in english
    assert "Skip to content" in english
    for dutch_word in ("Overzicht", "Afmelden", "Naar de inhoud", "uitgegeven"):
        assert dutch_word not in english


def test_dashboard_home_in_dutch_keeps_dutch_numbers_and_words(client, wethouder):
    client.force_login(wethouder)
    page = text(client.get(HOME))
    assert '<html lang="nl">' in page
    # Money with a euro sign and full stops between thousands, the way Dutch readers expect.
    assert "Begroting € 500.000 · uitgegeven € 200.000" in page
    assert "1 lopend of gepland project" in page
    assert "peildatum 1-7-2021" in page


def test_dashboard_home_in_english(client, wethouder):
    client.force_login(wethouder)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = text(client.get(HOME))
    assert "Budget € 500.000 · spent € 200.000" in page
    assert "1 running or planned project" in page
    assert "reference date 1-7-2021" in page


def test_traffic_light_words_follow_the_language():
    with translation.override("nl"):
        amber_nl = render_to_string("components/light_badge.html", {"light": Light.AMBER})
        none_nl = render_to_string("components/light_badge.html", {"light": None})
    with translation.override("en"):
        amber_en = render_to_string("components/light_badge.html", {"light": Light.AMBER})
        none_en = render_to_string("components/light_badge.html", {"light": None})
    assert '<span class="light-word">oranje</span>' in amber_nl
    assert '<span class="light-word">amber</span>' in amber_en
    assert "geen stoplicht" in none_nl
    assert "no traffic light" in none_en


def test_admin_title_is_translated(client):
    staff = factories.UserFactory(username="beheerder", is_staff=True, is_superuser=True)
    client.force_login(staff)
    assert "Arbeidsmarktmonitor – beheer" in text(client.get("/beheer/"))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = text(client.get("/beheer/"))
    assert "Arbeidsmarktmonitor – administration" in english


def test_report_e_mail_in_english():
    report = factories.ProgressReportFactory()
    with translation.override("en"):
        subject = render_to_string("emails/report_approved_subject.txt", {"report": report})
    assert subject.startswith("Report approved: ")
    assert "reference date" in subject


# --- The catalogue itself --------------------------------------------------------------------


def _unquote(line: str) -> str:
    return (
        line[line.index('"') + 1 : line.rindex('"')]
        .encode()
        .decode("unicode_escape")
        .encode("latin-1")
        .decode("utf-8")
    )


def parse_po(path: Path) -> list[dict]:
    """Entries of a .po file (flags, msgctxt, msgid, msgid_plural, msgstr list); not obsolete."""
    entries: list[dict] = []
    entry: dict = {}
    field = None
    for raw in path.read_text(encoding="utf-8").splitlines() + [""]:
        line = raw.strip()
        if not line:
            if "msgid" in entry:
                entries.append(entry)
            entry, field = {}, None
            continue
        if line.startswith("#~"):
            continue
        if line.startswith("#,"):
            entry.setdefault("flags", set()).update(f.strip() for f in line[2:].split(","))
            continue
        if line.startswith("#"):
            continue
        keyword = line.split(" ", 1)[0]
        if keyword.startswith("msgstr"):
            entry.setdefault("msgstr", []).append(_unquote(line))
            field = ("msgstr", len(entry["msgstr"]) - 1)
        elif keyword in ("msgctxt", "msgid", "msgid_plural"):
            entry[keyword] = _unquote(line)
            field = (keyword, None)
        elif line.startswith('"') and field:
            name, index = field
            if index is None:
                entry[name] += _unquote(line)
            else:
                entry[name][index] += _unquote(line)
    return entries


def messages() -> list[dict]:
    return [e for e in parse_po(CATALOGUE / "django.po") if e["msgid"]]


def test_catalogue_has_many_messages():
    assert len(messages()) > 500


def test_every_message_is_translated_and_none_is_fuzzy():
    untranslated = [e["msgid"] for e in messages() if not all(s.strip() for s in e["msgstr"])]
    fuzzy = [e["msgid"] for e in parse_po(CATALOGUE / "django.po") if "fuzzy" in e.get("flags", ())]
    assert untranslated == []
    assert fuzzy == []


def test_plural_messages_have_both_forms():
    plurals = [e for e in messages() if "msgid_plural" in e]
    assert plurals
    assert all(len(e["msgstr"]) == 2 for e in plurals)


def test_translations_keep_every_placeholder():
    wrong = []
    for entry in messages():
        sources = [entry["msgid"], entry.get("msgid_plural", entry["msgid"])]
        for index, translated in enumerate(entry["msgstr"]):
            source = sources[min(index, 1)]
            if sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(translated)):
                wrong.append((source, translated))
    assert wrong == []


def test_compiled_catalogue_matches_the_po_file():
    """The committed .mo is compiled from the committed .po (run compilemessages, commit both)."""
    with (CATALOGUE / "django.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = []
    for entry in messages():
        key = entry["msgid"]
        if "msgctxt" in entry:
            key = f"{entry['msgctxt']}\x04{key}"
        if "msgid_plural" in entry:
            got = [compiled.ngettext(key, entry["msgid_plural"], n) for n in (1, 2)]
        else:
            got = [compiled.gettext(key)]
        if got != entry["msgstr"]:
            stale.append(entry["msgid"])
    assert stale == []


def test_the_language_is_chosen_with_a_button_also_before_signing_in(client):
    page = text(client.get(LOGIN))
    # Each language named in itself, and nothing happens on merely selecting one (WCAG 3.2.2).
    assert '<option value="en" lang="en">English</option>' in page
    assert '<option value="nl" lang="nl" selected>Nederlands</option>' in page
    assert "onchange" not in page
    assert re.search(r'<button class="btn btn-sm btn-light" type="submit">Kies', page)
    client.post(reverse("set_language"), {"language": "en", "next": LOGIN})
    assert "Sign in" in text(client.get(LOGIN))


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs gettext's xgettext")
def test_every_text_in_the_code_is_in_the_catalogue(tmp_path):
    """makemessages on a copy of the code finds no text that the committed catalogue lacks
    (a text marked for translation but never collected shows in Dutch on English screens)."""
    root = Path(settings.BASE_DIR)
    for name in ("monitor", "programmes", "reports", "templates", "locale"):
        shutil.copytree(root / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(root / "manage.py", tmp_path)
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "monitor.settings_test"}
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "en", "--no-obsolete"],
        cwd=tmp_path,
        env=environment,
        check=True,
        capture_output=True,
    )
    collected = {e["msgid"] for e in parse_po(tmp_path / "locale/en/LC_MESSAGES/django.po")}
    committed = {e["msgid"] for e in messages()}
    assert sorted(collected - committed - {""}) == []
