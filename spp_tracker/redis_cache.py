"""Django's Redis cache backend, keeping one client object per connection pool.

Django's ``RedisCacheClient`` builds a new ``redis.Redis`` client for every cache operation, and each
one fills a table of some 170 response callbacks: a page that reads its session, its reader's
permissions and a shared page (three operations) spent about as much CPU building clients as in
Redis. A client only holds its pool (connections are taken from the pool per command, thread-safe
and renewed after a fork), so one per pool serves every operation."""

from django.core.cache.backends import redis


class PooledClientRedisCacheClient(redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(pool)
        if client is None:
            client = self._clients[pool] = self._client(connection_pool=pool)
        return client


class RedisCache(redis.RedisCache):
    """``django.core.cache.backends.redis.RedisCache`` with ``PooledClientRedisCacheClient``."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = PooledClientRedisCacheClient
