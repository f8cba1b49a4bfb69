"""Limits: oversized, deep, huge, malformed and numerous input each get a clear error or a
correct answer, in bounded time and memory, never a 5xx or a hang (emulator/params.py,
paging.py, product_lines.py).

Each call is measured: wall time under :data:`SECONDS` and its peak memory under
:data:`PEAK_BYTES`, generous bounds that a hang or a blow-up still breaks. Memory is the
growth of the process's peak resident size (Linux ``VmHWM``, reset through
``/proc/self/clear_refs``): it counts SQLite's and orjson's C allocations, which tracemalloc
does not see, and costs nothing, where tracemalloc slows the 5,000-line edit fivefold.
Without /proc, tracemalloc's peak is used instead.
"""

from __future__ import annotations

import time
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest

from emulator.pytest_plugin import OpenCRM

SECONDS = 20.0
PEAK_BYTES = 300 * 1024 * 1024
FORM = "application/x-www-form-urlencoded"
UNAUTHORIZED = {"error": "Unauthorized"}


CLEAR_REFS = Path("/proc/self/clear_refs")
STATUS = Path("/proc/self/status")


def kib(name: str) -> int:
    """A ``/proc/self/status`` figure (VmRSS, VmHWM), in bytes."""
    line = next(x for x in STATUS.read_text().splitlines() if x.startswith(f"{name}:"))
    return int(line.split()[1]) * 1024


def measured(send: Callable[[], Any]) -> tuple[Any, float, int]:
    """``send()``'s response, its wall time and how far it raised the memory peak."""
    if CLEAR_REFS.exists():
        CLEAR_REFS.write_text("5")  # the peak resident size starts again from the current size
        before = kib("VmRSS")
        started = time.perf_counter()
        response = send()
        return response, time.perf_counter() - started, kib("VmHWM") - before
    tracemalloc.start()
    try:
        started = time.perf_counter()
        response = send()
        return response, time.perf_counter() - started, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def bounded(send: Callable[[], Any]) -> Any:
    """``send()``'s response, checked to come within the time and memory bounds, no 5xx."""
    response, seconds, peak = measured(send)
    assert seconds < SECONDS, f"took {seconds:.1f} s"
    assert peak < PEAK_BYTES, f"peak {peak / 2**20:.0f} MiB"
    assert response.status_code < 500, response.text[:300]
    return response


def post_raw(crm: OpenCRM, end_point: str, body: bytes | Iterator[bytes], content_type: str) -> Any:
    headers = {"content-type": content_type}
    return crm.client.post(f"/api/rest/{end_point}", content=body, headers=headers)


def credentials_form(crm: OpenCRM) -> bytes:
    return f"key={crm.key}&passkey={crm.passkey}".encode()


# -- request body cap -------------------------------------------------------------------------


@pytest.mark.opencrm(max_body_bytes=10_000)
@pytest.mark.parametrize(
    "content_type", [FORM, "application/json", "multipart/form-data; boundary=x", "text/plain"]
)
def test_a_body_over_max_body_bytes_gets_a_clear_error(opencrm: OpenCRM, content_type: str) -> None:
    body = credentials_form(opencrm) + b"&keywords=" + b"a" * 10_000
    response = bounded(lambda: post_raw(opencrm, "get_contact_list", body, content_type))
    assert response.json() == {"error": "Request body larger than 10000 bytes"}


@pytest.mark.opencrm(max_body_bytes=10_000)
def test_a_streamed_body_without_a_length_is_cut_off_at_the_cap(opencrm: OpenCRM) -> None:
    def chunks() -> Iterator[bytes]:
        yield credentials_form(opencrm) + b"&keywords="
        for _ in range(1000):  # 1 MB in all, announced by no Content-Length
            yield b"a" * 1000

    response = bounded(lambda: post_raw(opencrm, "get_contact_list", chunks(), FORM))
    assert response.json() == {"error": "Request body larger than 10000 bytes"}


@pytest.mark.opencrm(max_body_bytes=10_000, error_status="http")
def test_a_body_over_the_cap_is_a_413_when_errors_use_http_statuses(opencrm: OpenCRM) -> None:
    body = credentials_form(opencrm) + b"&keywords=" + b"a" * 10_000
    response = post_raw(opencrm, "get_contact_list", body, FORM)
    assert response.status_code == 413


@pytest.mark.opencrm(max_body_bytes=10_000)
def test_a_body_just_under_the_cap_is_answered(opencrm: OpenCRM) -> None:
    body = credentials_form(opencrm) + b"&keywords="
    body += b"a" * (10_000 - len(body))
    assert bounded(lambda: post_raw(opencrm, "get_contact_list", body, FORM)).json() == []


# -- limits -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("limit_start", "limit_end", "rows"),
    [
        ("0", "999999999999999999", 11),  # 18 digits: all of them, not capped
        ("999999999999999999", "", 0),  # past the end
        ("999999999999999998", "999999999999999999", 0),
        ("0", "0", 0),
        ("3", "2", 0),  # an end before the start: nothing
    ],
)
def test_huge_limits_are_answered_in_bounded_time(
    opencrm: OpenCRM, limit_start: str, limit_end: str, rows: int
) -> None:
    fields = {**opencrm.credentials, "limit_start": limit_start, "limit_end": limit_end}
    response = bounded(lambda: opencrm.client.post("/api/rest/get_contact_list", data=fields))
    assert len(response.json()) == rows


@pytest.mark.parametrize("name", ["limit_start", "limit_end"])
@pytest.mark.parametrize(
    "value", ["-1", "-999999999999999999", "9999999999999999999", "1e3", "1.5", "0x10", "²"]
)
def test_negative_fractional_or_too_long_limits_are_a_clear_error(
    opencrm: OpenCRM, name: str, value: str
) -> None:
    answer = opencrm.call("get_contact_list", **{name: value}, check=False)
    assert answer == {"error": f"Invalid {name}: must be a whole number of 0 or more"}


# -- deep and huge JSON -------------------------------------------------------------------------


def deep(depth: int) -> bytes:
    return b"[" * depth + b"]" * depth


def test_a_deeply_nested_json_body_is_unauthorized(opencrm: OpenCRM) -> None:
    # orjson stops at 1024 levels with JSONDecodeError: a badly formatted request (guide,
    # "Error Messages").
    for body in (deep(100_000), b'{"key": ' + deep(100_000) + b"}"):
        response = bounded(lambda b=body: post_raw(opencrm, "get_contact_list", b, FORM))
        assert response.json() == UNAUTHORIZED


@pytest.mark.parametrize("depth", [500, 100_000])
def test_deeply_nested_products_are_an_invalid_products_error(opencrm: OpenCRM, depth: int) -> None:
    quote_id = str(opencrm.call("get_quote_list", limit_end="1")[0]["id"])
    fields = {**opencrm.credentials, "crmid": quote_id, "products": deep(depth).decode()}
    response = bounded(lambda: opencrm.client.post("/api/rest/edit_quote", data=fields))
    assert response.json()["error"].startswith("Invalid products: ")


def test_a_huge_json_body_is_answered(opencrm: OpenCRM) -> None:
    # Some 3.5 MB: 100,000 parameters the end point does not know, which it ignores.
    fields = {f"unknown_{n}": "x" * 20 for n in range(100_000)}
    body = orjson.dumps({**opencrm.credentials, **fields, "limit_end": "2"})
    response = bounded(lambda: post_raw(opencrm, "get_contact_list", body, "application/json"))
    assert len(response.json()) == 2


def test_a_huge_edit_is_saved_and_its_ignored_names_journaled_in_bounded_time(
    opencrm: OpenCRM,
) -> None:
    contact = str(opencrm.call("get_contact_list", limit_end="1")[0]["id"])
    fields = {f"unknown_{n}": "x" for n in range(50_000)}
    body = orjson.dumps({**opencrm.credentials, **fields, "crmid": contact, "lastname": "Huge"})
    response = bounded(lambda: post_raw(opencrm, "edit_contact", body, "application/json"))
    assert response.json() == int(contact)
    assert opencrm.call("get_contact", crmid=contact)["lastname"] == "Huge"


# -- invalid UTF-8 ------------------------------------------------------------------------------

BAD = b"\xff\xfe\xc3\x28"  # not UTF-8: a lone continuation, an invalid start, a cut sequence


def test_invalid_utf_8_in_a_path_segment_is_read_with_replacement(opencrm: OpenCRM) -> None:
    url = f"/api/rest/get_contact_list/key/{opencrm.key}/passkey/{opencrm.passkey}/keywords/"
    response = bounded(lambda: opencrm.client.get(url + "%FF%FE%C3%28"))
    assert response.json() == []


def test_invalid_utf_8_in_an_end_point_name_is_an_unknown_end_point(opencrm: OpenCRM) -> None:
    response = bounded(lambda: opencrm.client.get("/api/rest/get_%FFcontact"))
    assert response.json() == {"error": "Unknown end point: get_\ufffdcontact"}


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        (FORM, b"&keywords=" + BAD),
        (FORM, b"&keywords=%FF%FE%C3%28"),
        ("text/plain", b"&keywords=" + BAD),
    ],
)
def test_invalid_utf_8_in_a_form_value_is_read_with_replacement(
    opencrm: OpenCRM, content_type: str, body: bytes
) -> None:
    full = credentials_form(opencrm) + body
    assert bounded(lambda: post_raw(opencrm, "get_contact_list", full, content_type)).json() == []


def test_invalid_utf_8_in_the_query_string_is_read_with_replacement(opencrm: OpenCRM) -> None:
    url = f"/api/rest/get_contact_list?key={opencrm.key}&passkey={opencrm.passkey}&keywords="
    assert bounded(lambda: opencrm.client.get(url + "%FF%FE")).json() == []


def test_invalid_utf_8_in_a_json_body_is_unauthorized(opencrm: OpenCRM) -> None:
    body = b'{"key": "' + opencrm.key.encode() + b'", "keywords": "' + BAD + b'"}'
    response = bounded(lambda: post_raw(opencrm, "get_contact_list", body, "application/json"))
    assert response.json() == UNAUTHORIZED


def test_invalid_utf_8_in_a_multipart_field_gets_an_answer(opencrm: OpenCRM) -> None:
    parts = [
        b'--x\r\nContent-Disposition: form-data; name="key"\r\n\r\n' + opencrm.key.encode(),
        b'--x\r\nContent-Disposition: form-data; name="passkey"\r\n\r\n' + opencrm.passkey.encode(),
        b'--x\r\nContent-Disposition: form-data; name="keywords"\r\n\r\n' + BAD,
        b"--x--\r\n",
    ]
    body = b"\r\n".join(parts)
    content_type = "multipart/form-data; boundary=x"
    response = bounded(lambda: post_raw(opencrm, "get_contact_list", body, content_type))
    assert response.json() == []


# -- many product lines -------------------------------------------------------------------------


def test_five_thousand_product_lines_in_one_edit_are_saved_and_totalled(opencrm: OpenCRM) -> None:
    quote_id = str(opencrm.call("get_quote_list", limit_end="1")[0]["id"])
    product = str(opencrm.call("get_product_list", limit_end="1")[0]["id"])
    lines = [
        {"lineid": "0", "productid": product, "quantity": "1", "listprice1": "1.00"}
        for _ in range(5000)
    ]
    fields = {**opencrm.credentials, "crmid": quote_id, "products": lines}
    response = bounded(lambda: opencrm.client.post("/api/rest/edit_quote", json=fields))
    assert response.json() == int(quote_id)
    saved = bounded(
        lambda: opencrm.client.post(
            "/api/rest/get_quote", data={**opencrm.credentials, "crmid": quote_id}
        )
    ).json()
    assert len(saved["products"]) == 5000
    assert [line["linenumber"] for line in saved["products"]] == [str(n) for n in range(1, 5001)]
    assert saved["subtotal"] == "5000.00"


# -- the control plane's numbers ----------------------------------------------------------------


@pytest.mark.parametrize(
    "change",
    [
        {"advance": 3e11},  # some 9,500 years on: past year 9999
        {"advance": -1e11},
        {"advance": 1e300},
        {"set": "9999-12-31 23:59:59"},
        {"set": "0001-01-01 00:00:00"},
    ],
)
def test_moving_the_clock_out_of_range_is_refused_and_the_api_keeps_answering(
    opencrm: OpenCRM, change: dict[str, Any]
) -> None:
    response = bounded(lambda: opencrm.client.post("/_emulator/clock", json=change))
    assert response.status_code == 400
    assert response.json()["error"].startswith("invalid clock change: ")
    assert opencrm.call("get_contact_list_count") == 11


@pytest.mark.parametrize(
    "change",
    [
        {"access_key_idle_minutes": 1e300},
        {"access_key_idle_minutes": "nan"},
        {"latency": [{"min_ms": "nan"}]},
    ],
)
def test_out_of_range_runtime_settings_are_refused(
    opencrm: OpenCRM, change: dict[str, Any]
) -> None:
    response = bounded(lambda: opencrm.client.put("/_emulator/settings", json=change))
    assert response.status_code == 400
    assert opencrm.call("get_contact_list_count") == 11
