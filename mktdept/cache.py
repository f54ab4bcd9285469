"""A Redis cache that treats an unreachable Redis as a cache miss, so an outage never fails a page."""

import logging

from django.core.cache.backends.redis import RedisCache, RedisCacheClient

logger = logging.getLogger(__name__)

# Short enough that a page using the cache a few times still answers within a second or two
# while Redis is down; long enough for a Redis on the local network.
DEFAULT_SOCKET_TIMEOUT = 0.5


def _outage_errors() -> tuple[type[BaseException], ...]:
    import redis

    # RedisError covers refused and timed-out connections and also a peer that is not Redis
    # (a protocol error): for a cache, all of them mean "nothing cached now".
    return (redis.exceptions.RedisError, OSError)


class ReusingRedisCacheClient(RedisCacheClient):
    """Django's client builds a new ``redis.Redis`` for every cache call, and each one fills a
    table of about 170 reply callbacks: a tenth of a millisecond per call, several calls a page.
    A ``redis.Redis`` is thread-safe and only borrows connections from its pool, so one per pool
    serves every call (the pool itself reconnects after a fork)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class FailSafeRedisCache(RedisCache):
    """Django's RedisCache with short socket timeouts and no retries; while Redis cannot be
    reached, reads miss, writes are dropped (a cache holds nothing that is not stored elsewhere),
    and a warning is logged."""

    def __init__(self, server, params):
        params = dict(params)
        options = dict(params.get("OPTIONS") or {})
        options.setdefault("socket_connect_timeout", DEFAULT_SOCKET_TIMEOUT)
        options.setdefault("socket_timeout", DEFAULT_SOCKET_TIMEOUT)
        params["OPTIONS"] = options
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient
        self._errors = _outage_errors()

    def _safely(self, name, call, fallback):
        try:
            return call()
        except self._errors:
            logger.warning("Redis cache unreachable: %s skipped", name, exc_info=True)
            return fallback

    def add(self, key, value, timeout=None, version=None):
        return self._safely("add", lambda: super(FailSafeRedisCache, self).add(key, value, timeout, version), False)

    def get(self, key, default=None, version=None):
        return self._safely("get", lambda: super(FailSafeRedisCache, self).get(key, default, version), default)

    def set(self, key, value, timeout=None, version=None):
        self._safely("set", lambda: super(FailSafeRedisCache, self).set(key, value, timeout, version), None)

    def touch(self, key, timeout=None, version=None):
        return self._safely("touch", lambda: super(FailSafeRedisCache, self).touch(key, timeout, version), False)

    def delete(self, key, version=None):
        return self._safely("delete", lambda: super(FailSafeRedisCache, self).delete(key, version), False)

    def get_many(self, keys, version=None):
        return self._safely("get_many", lambda: super(FailSafeRedisCache, self).get_many(keys, version), {})

    def has_key(self, key, version=None):
        return self._safely("has_key", lambda: super(FailSafeRedisCache, self).has_key(key, version), False)

    def incr(self, key, delta=1, version=None):
        result = self._safely("incr", lambda: super(FailSafeRedisCache, self).incr(key, delta, version), None)
        if result is None:
            # What Django's caches raise for a key they do not hold.
            raise ValueError(f"Key '{key}' not found")
        return result

    def set_many(self, data, timeout=None, version=None):
        return self._safely(
            "set_many", lambda: super(FailSafeRedisCache, self).set_many(data, timeout, version), list(data)
        )

    def delete_many(self, keys, version=None):
        self._safely("delete_many", lambda: super(FailSafeRedisCache, self).delete_many(keys, version), None)

    def clear(self):
        return self._safely("clear", lambda: super(FailSafeRedisCache, self).clear(), False)
