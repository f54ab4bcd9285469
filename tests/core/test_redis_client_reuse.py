"""Issue 8: ``mktdept/cache.py`` keeps one ``redis.Redis`` per connection pool instead of one per cache call.

The cache under test is built here against the real Redis at REDIS_URL, with a key prefix of its own
that is removed afterwards; without REDIS_URL (the local-memory test settings) these tests are skipped.
"""

import os
import secrets

import pytest
import redis
from django.conf import settings

from mktdept.cache import DEFAULT_SOCKET_TIMEOUT, FailSafeRedisCache, ReusingRedisCacheClient

pytestmark = pytest.mark.skipif(not settings.REDIS_URL, reason="needs REDIS_URL (a real Redis)")


@pytest.fixture
def redis_cache():
    """A FailSafeRedisCache on REDIS_URL under a prefix unique to the test; its keys are deleted afterwards."""
    prefix = f"test-reuse-{secrets.token_hex(6)}"
    cache = FailSafeRedisCache(settings.REDIS_URL, {"KEY_PREFIX": prefix})
    yield cache
    raw = redis.Redis.from_url(settings.REDIS_URL)
    try:
        keys = list(raw.scan_iter(match=f"{prefix}:*"))
        if keys:
            raw.delete(*keys)
        assert not list(raw.scan_iter(match=f"{prefix}:*"))
    finally:
        raw.close()


@pytest.fixture
def built(redis_cache, monkeypatch):
    """Count the ``redis.Redis`` objects the cache's client builds."""
    client = redis_cache._cache
    made = []
    original = client._client

    def build(**kwargs):
        made.append(original(**kwargs))
        return made[-1]

    monkeypatch.setattr(client, "_client", build)
    return made


def test_the_fail_safe_cache_uses_the_reusing_client_with_short_timeouts(redis_cache):
    client = redis_cache._cache

    assert type(client) is ReusingRedisCacheClient
    assert client._pool_options["socket_timeout"] == DEFAULT_SOCKET_TIMEOUT
    assert client._pool_options["socket_connect_timeout"] == DEFAULT_SOCKET_TIMEOUT


def test_get_client_returns_one_redis_object_for_reads_and_writes_on_one_server(redis_cache, built):
    client = redis_cache._cache

    first = client.get_client()
    assert isinstance(first, redis.Redis)
    assert client.get_client("some-key") is first
    assert client.get_client("other-key", write=True) is first
    assert first.connection_pool is client._get_connection_pool(False) is client._get_connection_pool(True)

    for number in range(20):
        redis_cache.set(f"k{number}", number)
        assert redis_cache.get(f"k{number}") == number
    assert built == [first]  # twenty writes and reads, and still the one client built above


def test_values_are_set_read_and_deleted(redis_cache):
    value = {"versions": ["a", None], "value": [(1, "迈瑞医疗"), (2, "<b>新产业</b>")]}

    redis_cache.set("options", value, timeout=30)
    assert redis_cache.get("options") == value
    assert redis_cache.add("options", "other") is False
    assert redis_cache.add("fresh", "first") is True
    redis_cache.set_many({"a": 1, "b": "two"}, timeout=30)
    assert redis_cache.get_many(["a", "b", "missing"]) == {"a": 1, "b": "two"}
    assert redis_cache.incr("a", 4) == 5
    assert redis_cache.has_key("b")

    assert redis_cache.delete("options") is True
    assert redis_cache.get("options", "gone") == "gone"
    redis_cache.delete_many(["a", "b", "fresh"])
    assert redis_cache.get_many(["a", "b", "fresh"]) == {}


def test_calls_still_work_after_the_pools_pid_changes(redis_cache, built):
    """What a fork looks like to the pool: the pid it was made in is not the current one."""
    redis_cache.set("before", "parent")
    client = redis_cache._cache.get_client(write=True)
    pool = client.connection_pool
    assert pool.pid == os.getpid()
    assert pool._created_connections >= 1

    pool.pid = os.getpid() + 100_000  # as if this process were a child of the one that made the pool

    assert redis_cache.get("before") == "parent"
    redis_cache.set("after", "child")
    assert redis_cache.get("after") == "child"
    assert pool.pid == os.getpid()  # the pool reset itself and made a new connection
    assert redis_cache._cache.get_client() is client
    assert built == [client]


def test_a_forked_child_uses_the_same_cache_and_the_parent_goes_on(redis_cache):
    redis_cache.set("from-parent", "p")  # the pool holds a connection when the process forks
    pid = os.fork()
    if pid == 0:  # the child: no assertion may escape into a second pytest run
        code = 1
        try:
            if redis_cache.get("from-parent") == "p":
                redis_cache.set("from-child", "c")
                code = 0
        finally:
            os._exit(code)
    _pid, status = os.waitpid(pid, 0)

    assert os.waitstatus_to_exitcode(status) == 0
    assert redis_cache.get("from-child") == "c"
    redis_cache.set("parent-again", "p2")
    assert redis_cache.get("parent-again") == "p2"


def test_each_server_has_its_own_client(redis_cache):
    """With replicas, writes go to the first server and reads to another: one client per pool."""
    client = FailSafeRedisCache([settings.REDIS_URL, settings.REDIS_URL], {"KEY_PREFIX": redis_cache.key_prefix})._cache

    writer = client.get_client(write=True)
    reader = client.get_client()

    assert writer is not reader
    assert writer.connection_pool is client._pools[0] and reader.connection_pool is client._pools[1]
    assert client.get_client(write=True) is writer and client.get_client() is reader


def test_redis_replies_are_parsed_by_the_c_parser():
    """hiredis (requirements.txt) parses replies for redis-py: every cache read of every page is cheaper."""
    import redis

    assert redis.utils.HIREDIS_AVAILABLE
