"""Small helpers for the fault tests."""

import socket


def closed_port() -> int:
    """A local TCP port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def redis_cache_at(port: int) -> dict:
    """CACHES pointing the resilient Redis backend at `port`."""
    return {"default": {"BACKEND": "portal.cache.ResilientRedisCache", "LOCATION": f"redis://127.0.0.1:{port}/0"}}
