"""The cheap look-ups on a call's way in (emulator/wire/params.py form_pairs,
emulator/wire/headers.py Indexed) find what the standard ones find."""

from __future__ import annotations

from urllib.parse import parse_qsl

import pytest
from starlette.datastructures import Headers

from emulator.wire.headers import Indexed
from emulator.wire.params import form_pairs

FORMS = [
    "",
    "&",
    "&&a=1&&",
    "key=demo-key&passkey=demo-passkey&crmid=150",
    "title=Head+of+Bench+7&department=Bench+7&mobile=07700+97",
    "a=1&a=2&b",
    "=x&y=&z",
    "a==b&c=d=e",
    "name=%C3%A9t%C3%A9&plus=%2B+and+space",
    "broken=%zz&half=%4",
    "ünï=cødé&emoji=😀",
    "semi=a;b&x=1",
]


@pytest.mark.parametrize("text", FORMS)
def test_form_pairs_are_what_parse_qsl_keeping_blank_values_gives(text: str) -> None:
    assert form_pairs(text) == parse_qsl(text, keep_blank_values=True)


RAW = [
    (b"host", b"crm.example:8000"),
    (b"user-agent", b"bench/1.0"),
    (b"key2", b"first"),
    (b"key2", b"second"),
    (b"x-latin", "café".encode("latin-1")),
]


@pytest.mark.parametrize("name", ["host", "Host", "USER-AGENT", "key2", "x-latin", "missing"])
def test_an_indexed_header_is_what_starlette_headers_find(name: str) -> None:
    plain, indexed = Headers(raw=list(RAW)), Indexed(raw=list(RAW))
    assert indexed.get(name) == plain.get(name)
    assert indexed.get(name, "default") == plain.get(name, "default")
    assert (name in indexed) == (name in plain)
    if name in plain:
        assert indexed[name] == plain[name]
    else:
        with pytest.raises(KeyError):
            indexed[name]
    assert indexed.getlist(name) == plain.getlist(name)
    assert indexed.items() == plain.items()
    assert indexed == plain
