"""Every cache is bounded in bytes as well as entries (issue 12, "Memory without a bound"):
a client choosing what is cached (query strings, formats, edited field sets) cannot grow it."""

from __future__ import annotations

from emulator.domain import filters
from emulator.store.executor import Compiled, StatementCache
from emulator.wire import php_format


def test_a_long_query_string_is_parsed_but_never_kept_in_the_parse_cache() -> None:
    before = filters.cached_parse.cache_info().currsize
    for n in range(60):
        text = f"lastname|=|{n}" + "x" * 5000
        assert filters.parse(text)[0].value == f"{n}" + "x" * 5000
    assert filters.cached_parse.cache_info().currsize == before


def test_a_short_query_string_is_parsed_once() -> None:
    text = "lastname|=|cached-once"
    first = filters.parse(text)
    assert filters.parse(text) is first


def test_the_statement_cache_evicts_to_stay_within_its_bytes() -> None:
    cache = StatementCache(size=512, max_bytes=100_000)
    big = Compiled("SELECT " + "x" * 10_000, (), (), {})
    for n in range(100):
        cache.get(("update", n), lambda: big)
    assert cache.bytes <= 100_000
    assert len(cache) < 100
    assert cache.get(("update", 99), lambda: big) is big  # the newest stays


def test_the_statement_cache_evicts_to_stay_within_its_entries() -> None:
    cache = StatementCache(size=3)
    for n in range(10):
        cache.get(n, lambda: Compiled("SELECT 1", (), (), {}))
    assert len(cache) == 3


def test_the_compiled_format_cache_holds_formats_of_bounded_length() -> None:
    assert php_format._compile.cache_info().maxsize == 512
