"""H3: once the database has committed an archive, no public response shows the item after the
documented bound (CONTENT_GENERATION_CHECK_SECONDS), whatever Redis did meanwhile.

Each test runs its own redis-server on a free port (never the shared one) and is skipped
where redis-server is not installed. The reader is "another server": after the write, this
process is put back in the state of one that did not make it (its generation read before).
"""

import os
import shutil
import signal
import subprocess
import time

import pytest
import redis
from django.test import override_settings

from portal import cache as resilient_cache
from portal import generation
from tests.factories import TherapyFactory
from tests.reliability.helpers import closed_port, redis_cache_at

pytestmark = pytest.mark.django_db

BOUND = 1  # seconds; the test setting for CONTENT_GENERATION_CHECK_SECONDS


def _start_redis(port, folder):
    binary = shutil.which("redis-server")
    if not binary:
        pytest.skip("redis-server is not installed")
    process = subprocess.Popen(  # noqa: S603 - fixed arguments, our own binary lookup
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--dir", str(folder), "--dbfilename", "dump.rdb"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    client = redis.Redis(host="127.0.0.1", port=port)
    for _ in range(100):
        try:
            client.ping()
            return process, client
        except redis.exceptions.ConnectionError:
            time.sleep(0.05)
    raise AssertionError("redis-server did not start")


@pytest.fixture
def private_redis(tmp_path, settings, monkeypatch):
    port = closed_port()
    started = [_start_redis(port, tmp_path)]
    settings.CONTENT_GENERATION_CHECK_SECONDS = BOUND
    # Short back-off, so the checks after recovery really reach Redis.
    monkeypatch.setattr(resilient_cache, "BACKOFF_SECONDS", 0.2)
    with override_settings(CACHES=redis_cache_at(port)):
        yield {"port": port, "folder": tmp_path, "started": started}
    for process, _client in started:
        if process.poll() is None:
            os.kill(process.pid, signal.SIGCONT)
            process.terminate()
            process.wait(timeout=10)


def _surfaces(therapy):
    return [f"/en/therapies/{therapy.slug}/", f"/zh-hans/therapies/{therapy.slug}/",
            f"/api/v1/therapies/{therapy.slug}/", "/en/therapies/", "/api/v1/therapies/", "/sitemap-therapy.xml"]


def _warm(client, therapy):
    for path in _surfaces(therapy):
        client.get(path)
        response = client.get(path)
        assert response.status_code == 200 and response["X-Cache"] == "hit", path
        assert therapy.slug in response.content.decode(), path


def _as_another_server(snapshot):
    """This process as a server that did not make the write: its generation read before it."""
    if hasattr(generation, "_memo"):
        generation._memo = snapshot
        generation._own_writes.__dict__.clear()


def _archive(therapy, publisher, django_capture_on_commit_callbacks):
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        therapy.transition("archived", by=publisher)
    return time.monotonic() - started


def _shown_anywhere(client, therapy):
    shown = []
    for path in _surfaces(therapy):
        response = client.get(path)
        if response.status_code == 200 and therapy.slug in response.content.decode():
            shown.append((path, response["X-Cache"]))
    return shown


def test_an_archive_during_a_redis_stall_is_public_within_the_bound(
        client, publisher, private_redis, django_capture_on_commit_callbacks):
    therapy = TherapyFactory(slug="zqxstale-therapy")
    _warm(client, therapy)
    snapshot = getattr(generation, "_memo", None)
    process, _client = private_redis["started"][0]
    os.kill(process.pid, signal.SIGSTOP)
    try:
        took = _archive(therapy, publisher, django_capture_on_commit_callbacks)
        _as_another_server(snapshot)
        time.sleep(3)
    finally:
        os.kill(process.pid, signal.SIGCONT)
    assert took < 2  # the write succeeded, at most one socket timeout slower
    time.sleep(BOUND + 0.3)
    assert _shown_anywhere(client, therapy) == []
    assert _shown_anywhere(client, therapy) == []  # and not from what the first round stored


@pytest.mark.parametrize("persisted", [False, True], ids=["restarted-empty", "restarted-from-its-dump"])
def test_an_archive_while_redis_restarts_is_public_within_the_bound(
        client, publisher, private_redis, django_capture_on_commit_callbacks, persisted):
    therapy = TherapyFactory(slug="zqxstale-therapy")
    _warm(client, therapy)
    snapshot = getattr(generation, "_memo", None)
    process, redis_client = private_redis["started"][0]
    if persisted:
        redis_client.save()  # as Redis' default `save` schedule would have
    process.terminate()
    process.wait(timeout=10)
    _archive(therapy, publisher, django_capture_on_commit_callbacks)
    _as_another_server(snapshot)
    private_redis["started"].append(_start_redis(private_redis["port"], private_redis["folder"]))
    assert (len(redis_client.keys("*")) > 0) == persisted  # the old pages are back, or gone
    time.sleep(BOUND + 0.3)
    assert _shown_anywhere(client, therapy) == []
