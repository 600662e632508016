"""Dutch error pages in the site's layout, also with DEBUG off (the test settings): 404 for
what does not exist or is outside the user's scope, 403 for a forbidden action, 500 when the
server fails (rendered without a request)."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory
from django.views import defaults

from tests import factories

pytestmark = pytest.mark.django_db


def test_404_is_dutch_in_the_layout(client, settings):
    assert settings.DEBUG is False
    client.force_login(factories.UserFactory(username="iemand"))
    response = client.get("/bestaat-niet/")
    assert response.status_code == 404
    page = response.content.decode()
    assert '<html lang="nl">' in page
    assert "Pagina niet gevonden" in page
    assert 'id="inhoud"' in page and "Hoofdmenu" in page  # the site's layout
    assert "Not Found" not in page


def test_403_is_dutch_in_the_layout():
    request = RequestFactory().get("/")
    request.user = factories.UserFactory(username="iemand-anders")
    response = defaults.permission_denied(request, PermissionDenied())
    assert response.status_code == 403
    page = response.content.decode()
    assert "Geen toegang" in page and 'id="inhoud"' in page


def test_500_is_dutch_in_the_layout_without_a_request():
    response = defaults.server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    page = response.content.decode()
    assert "Er ging iets mis" in page and 'id="inhoud"' in page
    assert "Server Error" not in page
