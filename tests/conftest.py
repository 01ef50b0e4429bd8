"""Fixtures shared by the whole suite: personas (anonymous, editor, publisher, superuser)."""

import pytest
from django.core.cache import cache

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
