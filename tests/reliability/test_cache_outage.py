"""With Redis down the site keeps serving from the database; with Redis up the cache works."""

import shutil
import subprocess
import time

import pytest
import redis
from django.core.cache import cache
from django.core.cache.backends.redis import RedisCache
from django.test import override_settings

from portal.cache import ResilientRedisCache
from tests.factories import TherapyCategoryFactory
from tests.reliability.helpers import closed_port, redis_cache_at


def test_plain_django_redis_cache_raises_when_redis_is_down():
    """Why portal.cache exists: Django's own backend turns an outage into an exception."""
    plain = RedisCache(f"redis://127.0.0.1:{closed_port()}/0", {"OPTIONS": {"socket_connect_timeout": 0.5}})
    with pytest.raises(redis.exceptions.ConnectionError):
        plain.get("anything")


def test_resilient_cache_reads_as_a_miss_and_drops_writes_when_redis_is_down():
    down = ResilientRedisCache(f"redis://127.0.0.1:{closed_port()}/0", {})
    assert down.set("key", "value") is None
    assert down.get("key", "fallback") == "fallback"
    assert down.get_many(["key"]) == {}
    assert down.add("key", "value") is False
    with pytest.raises(ValueError):
        down.incr("counter")


def test_resilient_cache_skips_redis_during_the_back_off():
    down = ResilientRedisCache(f"redis://127.0.0.1:{closed_port()}/0", {})
    down.get("key")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(RedisCache, "get", lambda *args, **kwargs: pytest.fail("Redis was tried during back-off"))
        assert down.get("key", "fallback") == "fallback"


@pytest.mark.django_db
def test_public_page_is_served_with_redis_down(client):
    TherapyCategoryFactory(name_en="Stem cell therapy")
    with override_settings(CACHES=redis_cache_at(closed_port())):
        cache.set("probe", "stored")
        assert cache.get("probe") is None  # the cache really is down
        response = client.get("/en/")
    assert response.status_code == 200
    assert b"<main" in response.content


@pytest.fixture
def redis_server():
    """A throwaway redis-server on a free port (skipped where Redis is not installed)."""
    binary = shutil.which("redis-server")
    if not binary:
        pytest.skip("redis-server is not installed")
    port = closed_port()
    process = subprocess.Popen(  # noqa: S603 - fixed arguments, our own binary lookup
        [binary, "--port", str(port), "--save", "", "--appendonly", "no", "--bind", "127.0.0.1"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    client = redis.Redis(host="127.0.0.1", port=port)
    for _ in range(50):
        try:
            client.ping()
            break
        except redis.exceptions.ConnectionError:
            time.sleep(0.1)
    yield process, port
    process.terminate()
    process.wait(timeout=10)


def test_resilient_cache_works_then_degrades_when_redis_stops(redis_server):
    process, port = redis_server
    live = ResilientRedisCache(f"redis://127.0.0.1:{port}/0", {})
    live.set("key", "value")
    assert live.get("key") == "value"
    assert live.ping() is True

    process.terminate()
    process.wait(timeout=10)
    assert live.get("key", "fallback") == "fallback"
    with pytest.raises(redis.exceptions.ConnectionError):
        live.ping()


def test_resilient_cache_builds_one_redis_client_per_connection_pool():
    """Each cache call used to construct a new redis.Redis, which costs more than the GET itself."""
    backend = ResilientRedisCache(f"redis://127.0.0.1:{closed_port()}/0", {})
    first = backend._cache.get_client("a")
    assert backend._cache.get_client("b", write=True) is first


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/v1/categories/", "/en/"])
def test_with_redis_down_public_responses_still_get_cache_control_and_a_working_conditional_get(client, path):
    """No generation can be kept, so nothing is stored: the ETag is then a hash of the body."""
    TherapyCategoryFactory(name_en="Stem cell therapy")
    with override_settings(CACHES=redis_cache_at(closed_port())):
        first = client.get(path)
        again = client.get(path, HTTP_IF_NONE_MATCH=first["ETag"])
    assert first.status_code == 200 and first["X-Cache"] == "miss"
    assert {part.strip() for part in first["Cache-Control"].split(",")} >= {"public", "max-age=60"}
    assert again.status_code == 304 and again["ETag"] == first["ETag"]
