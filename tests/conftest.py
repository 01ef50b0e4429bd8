"""Fixtures shared by the whole suite: personas (anonymous, editor, publisher, superuser) and API clients."""

import pytest
from django.core.cache import cache
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from portal.roles import EDITOR, PUBLISHER
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _clear_cache():
    """Each test starts with an empty cache, so a cached page never hides a change."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def editor(db):
    return UserFactory(username="editor", is_staff=True, groups=[EDITOR])


@pytest.fixture
def publisher(db):
    return UserFactory(username="publisher", is_staff=True, groups=[PUBLISHER])


@pytest.fixture
def superuser(db):
    return UserFactory(username="admin", is_staff=True, is_superuser=True)


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def publisher_client(client, publisher):
    client.force_login(publisher)
    return client


# --- API clients: anonymous, and with an Editor's or a Publisher's token -----------------
@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def editor_api(editor):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=editor).key}")
    return client


@pytest.fixture
def publisher_api(publisher):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=publisher).key}")
    return client
