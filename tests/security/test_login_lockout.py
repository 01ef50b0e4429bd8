"""Admin login brute force: locked per (username, address) and per address across usernames,
never forever, never for everyone."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import RequestFactory
from django.urls import reverse

from portal.middleware import client_ip
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
ATTACKER, EDITOR_DESK = "203.0.113.66", "198.51.100.7"


@pytest.fixture
def staff():
    return UserFactory(username="curator", is_staff=True)


def login(client, username, password, address):
    return client.post(reverse("admin:login"), {"username": username, "password": password},
                       REMOTE_ADDR=address)


def exhaust(client, username, address):
    for _ in range(settings.AXES_USERNAME_FAILURE_LIMIT):
        login(client, username, "wrong password", address)


def test_a_correct_password_logs_in(client, staff):
    response = login(client, "curator", PASSWORD, EDITOR_DESK)
    assert response.status_code == 302


def test_failures_up_to_the_limit_lock_that_username_at_that_address(client, staff):
    exhaust(client, "curator", ATTACKER)
    response = login(client, "curator", PASSWORD, ATTACKER)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_real_editor_elsewhere_is_not_locked_out(client, staff):
    exhaust(client, "curator", ATTACKER)
    assert login(client, "curator", PASSWORD, EDITOR_DESK).status_code == 302


def test_the_lockout_ends_after_the_cool_off(client, staff):
    exhaust(client, "curator", ATTACKER)
    earlier = datetime.datetime.now(tz=datetime.UTC) - settings.AXES_COOLOFF_TIME - datetime.timedelta(seconds=1)
    AccessAttempt.objects.update(attempt_time=earlier)
    assert login(client, "curator", PASSWORD, ATTACKER).status_code == 302


def test_fewer_failures_than_the_limit_do_not_lock(client, staff):
    for _ in range(settings.AXES_USERNAME_FAILURE_LIMIT - 1):
        login(client, "curator", "wrong password", ATTACKER)
    assert login(client, "curator", PASSWORD, ATTACKER).status_code == 302


def test_client_ip_uses_remote_addr_without_a_trusted_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert client_ip(request) == "10.0.0.1"


def test_client_ip_behind_one_proxy_ignores_forged_entries(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.7")
    assert client_ip(request) == "198.51.100.7"


def spray(client, address, usernames):
    for number in range(usernames):
        login(client, f"guess{number}", "wrong password", address)


def test_failures_across_many_usernames_lock_the_address(client, staff):
    spray(client, ATTACKER, settings.AXES_ADDRESS_FAILURE_LIMIT)
    assert login(client, "curator", PASSWORD, ATTACKER).status_code == 429


def test_fewer_failures_across_usernames_than_the_address_limit_do_not_lock(client, staff):
    spray(client, ATTACKER, settings.AXES_ADDRESS_FAILURE_LIMIT - 1)
    assert login(client, "curator", PASSWORD, ATTACKER).status_code == 302


def test_a_sprayed_address_does_not_lock_other_addresses(client, staff):
    spray(client, ATTACKER, settings.AXES_ADDRESS_FAILURE_LIMIT)
    assert login(client, "curator", PASSWORD, EDITOR_DESK).status_code == 302
