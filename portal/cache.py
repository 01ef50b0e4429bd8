"""A Redis cache that degrades to cache misses when Redis is down, instead of failing requests.

Django's RedisCache raises on every connection error, so a Redis outage would turn every
cached page into a 500. The cache only ever holds copies of what the database has, so
treating an unreachable Redis as an empty cache is always correct, merely slower.
"""

from __future__ import annotations

import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNAVAILABLE_ERRORS = (RedisConnectionError, RedisTimeoutError, OSError)
# After a failure, skip Redis for this long so a blackholed server does not add a socket
# timeout to every cache call of every request.
BACKOFF_SECONDS = 5.0
# Fail fast: a cache that answers in more than half a second is no help.
DEFAULT_OPTIONS = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}


class ReusedClientRedisCacheClient(RedisCacheClient):
    """Django's client, keeping one `redis.Redis` per connection pool.

    Django builds a new `redis.Redis` for every cache call, and its constructor (a table of
    some 250 response callbacks) costs more than a loopback GET; every page-cache hit pays
    it. The object is thread-safe and holds no connection of its own, so one per pool will do.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class ResilientRedisCache(RedisCache):
    """Django's RedisCache where an outage reads as a miss and writes are dropped."""

    def __init__(self, server, params):
        params = {**params, "OPTIONS": {**DEFAULT_OPTIONS, **params.get("OPTIONS", {})}}
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient
        self._unavailable_until = 0.0

    def _guarded(self, operation, default):
        """Run `operation()`; during a Redis outage return `default` and log once per back-off."""
        if time.monotonic() < self._unavailable_until:
            return default
        try:
            return operation()
        except UNAVAILABLE_ERRORS as error:
            self._unavailable_until = time.monotonic() + BACKOFF_SECONDS
            logger.warning("Cache unavailable; serving without it for %ss: %s", BACKOFF_SECONDS, error)
            return default

    def ping(self) -> bool:
        """Raise if Redis cannot be reached (for /readyz, which must not be fooled by the fallback)."""
        return self._cache.get_client(write=True).ping()

    def get(self, key, default=None, version=None):
        return self._guarded(lambda: super(ResilientRedisCache, self).get(key, default, version), default)

    def get_many(self, keys, version=None):
        return self._guarded(lambda: super(ResilientRedisCache, self).get_many(keys, version), {})

    def has_key(self, key, version=None):
        return self._guarded(lambda: super(ResilientRedisCache, self).has_key(key, version), False)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded(lambda: super(ResilientRedisCache, self).add(key, value, timeout, version), False)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded(lambda: super(ResilientRedisCache, self).set(key, value, timeout, version), None)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        # Every key failed to be stored, which is what set_many's return value reports.
        return self._guarded(lambda: super(ResilientRedisCache, self).set_many(data, timeout, version), list(data))

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded(lambda: super(ResilientRedisCache, self).touch(key, timeout, version), False)

    def delete(self, key, version=None):
        return self._guarded(lambda: super(ResilientRedisCache, self).delete(key, version), False)

    def delete_many(self, keys, version=None):
        return self._guarded(lambda: super(ResilientRedisCache, self).delete_many(keys, version), None)

    def incr(self, key, delta=1, version=None):
        def missing():
            raise ValueError(f"Key '{key}' not found (cache unavailable).")

        result = self._guarded(lambda: super(ResilientRedisCache, self).incr(key, delta, version), None)
        return missing() if result is None else result

    def clear(self):
        return self._guarded(lambda: super(ResilientRedisCache, self).clear(), False)
