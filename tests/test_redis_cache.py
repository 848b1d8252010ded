"""The shared cache's backend (spp_tracker/redis_cache.py): Django's Redis cache, one client per pool.
Runs against the Redis every machine here has at 127.0.0.1:6379 (skipped without one)."""

import os

import pytest

from spp_tracker.redis_cache import RedisCache

URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/14")


@pytest.fixture
def cache():
    import redis

    backend = RedisCache(URL, {"KEY_PREFIX": f"spp-test-{os.getpid()}"})
    try:
        backend.get("ping")
    except redis.ConnectionError:
        pytest.skip(f"no Redis at {URL}")
    yield backend
    backend.delete_many(["a", "b", "c"])


def test_every_operation_goes_through_one_client(cache):
    cache.set("a", {"page": "<main>…</main>"})
    cache.set_many({"b": 2, "c": 3})

    assert cache.get("a") == {"page": "<main>…</main>"}
    assert cache.get_many(["b", "c", "missing"]) == {"b": 2, "c": 3}
    assert cache._cache.get_client() is cache._cache.get_client(write=True)
    assert len(cache._cache._clients) == 1
