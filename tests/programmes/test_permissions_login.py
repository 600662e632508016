"""Signing in: repeated failed attempts lock the account, with a Dutch message."""

import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


def test_repeated_failed_sign_ins_are_locked_with_a_dutch_message(client, settings):
    settings.AXES_ENABLED = True  # tests/conftest.py switches it off for every other test
    settings.AXES_FAILURE_LIMIT = 3
    factories.UserFactory(username="coordinator")
    url = reverse("login")
    for _attempt in range(2):
        response = client.post(url, {"username": "coordinator", "password": "fout"})
        assert response.status_code == 200
        assert "Voer een juiste gebruikersnaam en wachtwoord in" in response.content.decode()
    response = client.post(url, {"username": "coordinator", "password": "fout"})
    assert response.status_code == 429
    assert "Te veel mislukte pogingen" in response.content.decode()
    # Locked means locked: the right password does not get in either.
    response = client.post(url, {"username": "coordinator", "password": "demo"})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("reporting:my_reports")).status_code == 302


def test_the_sign_in_page_is_dutch(client):
    page = client.get(reverse("login")).content.decode()
    assert 'lang="nl"' in page and "Aanmelden" in page
