"""Every way the real API takes parameters gives the same call (guide, "Parameters" and
"Examples"; observed-behaviour.md "Transport and parameters"; emulator/params.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import quote, urlencode

import orjson
import pytest

from emulator.control.journal import MASK, Entry
from emulator.pytest_plugin import OpenCRM

END_POINT = "get_contact_list"
URL = f"/api/rest/{END_POINT}"
#: One list request whose answer depends on each of its parameters (checked below); its
#: query_string carries a space, "|", ":" and ">".
REQUEST = {
    "query_string": "crmentity.modifiedtime|>|2026-02-01 00:00:00",
    "keywords": "ar",
    "limit_end": "2",
}
FORM = "application/x-www-form-urlencoded"
Send = Callable[[OpenCRM, dict[str, str]], Any]  # the test client's Response


def path_url(values: dict[str, str], end_point: str = END_POINT) -> str:
    """``/api/rest/<end_point>/name/value/...``, "|" and ":" left unencoded as a browser would."""
    pairs = "/".join(f"{quote(k, safe='')}/{quote(v, safe='|:')}" for k, v in values.items())
    return f"/api/rest/{end_point}/{pairs}"


def raw(crm: OpenCRM, payload: bytes, content_type: str | None) -> Any:
    headers = {"content-type": content_type} if content_type else {}
    return crm.client.post(URL, content=payload, headers=headers)


#: The six formats (eight ways: raw and JSON each with two Content-Types) and the journal's
#: name for the source the emulator recognised.
FORMATS: dict[str, tuple[Send, str]] = {
    "GET path segments": (lambda crm, p: crm.client.get(path_url(p)), "path"),
    "GET URL query": (lambda crm, p: crm.client.get(URL, params=p), "query"),
    "POST form fields": (lambda crm, p: crm.client.post(URL, data=p), "form"),
    "POST multipart (PHP curl with an array)": (
        lambda crm, p: crm.client.post(URL, files={k: (None, v) for k, v in p.items()}),
        "multipart",
    ),
    "raw urlencoded payload as text/plain": (
        lambda crm, p: raw(crm, urlencode(p).encode(), "text/plain"),
        "raw",
    ),
    "raw urlencoded payload without Content-Type": (
        lambda crm, p: raw(crm, urlencode(p).encode(), None),
        "raw",
    ),
    "JSON object as application/json": (
        lambda crm, p: raw(crm, orjson.dumps(p), "application/json"),
        "json",
    ),
    "JSON object as a form, as PHP curl sends a string": (
        lambda crm, p: raw(crm, orjson.dumps(p), FORM),
        "json",
    ),
}


def last_call(crm: OpenCRM) -> Entry:
    return crm.system.control.journal.entries()[-1]


def names(answer: Any) -> list[str]:
    assert isinstance(answer, list), answer
    return [row["lastname"] for row in answer]


def test_the_sample_request_depends_on_each_of_its_parameters(opencrm: OpenCRM) -> None:
    answer = names(opencrm.call(END_POINT, **REQUEST))
    assert answer
    for dropped in REQUEST:
        rest = {k: v for k, v in REQUEST.items() if k != dropped}
        assert names(opencrm.call(END_POINT, **rest)) != answer, dropped


@pytest.mark.parametrize("send_name", FORMATS)
def test_each_parameter_format_gives_the_same_answer(opencrm: OpenCRM, send_name: str) -> None:
    expected = opencrm.call(END_POINT, **REQUEST)
    send, source = FORMATS[send_name]
    response = send(opencrm, {**opencrm.credentials, **REQUEST})
    assert response.status_code == 200
    assert response.json() == expected
    call = last_call(opencrm)
    assert call.source == source
    assert call.params == {"key": opencrm.key, "passkey": MASK, **REQUEST}


def test_key_pair_headers_give_the_same_answer(opencrm: OpenCRM) -> None:
    expected = opencrm.call(END_POINT, **REQUEST)
    headers = {"KEY1": opencrm.key, "KEY2": opencrm.passkey}
    response = opencrm.client.post(URL, data=REQUEST, headers=headers)
    assert response.json() == expected
    assert last_call(opencrm).params == REQUEST


@pytest.mark.parametrize("name", ["accesskey", "accesscode"])
def test_an_access_key_from_login_gives_the_same_answer(opencrm: OpenCRM, name: str) -> None:
    expected = opencrm.call(END_POINT, **REQUEST)
    access_key = opencrm.call("login")
    response = opencrm.client.post(URL, data={name: access_key, **REQUEST})
    assert response.json() == expected


def test_keys_in_the_path_work_with_fields_in_the_body(opencrm: OpenCRM) -> None:
    # The guide's first PHP example: key and passkey in the URL, POSTed.
    expected = opencrm.call(END_POINT, **REQUEST)
    response = opencrm.client.post(path_url(opencrm.credentials), data=REQUEST)
    assert response.json() == expected
    assert last_call(opencrm).source == "path+form"


def test_an_encoded_slash_in_a_path_value_stays_in_the_value(opencrm: OpenCRM) -> None:
    url = path_url(opencrm.credentials, "get_contact_list_count") + "/keywords/a%2Fb/limit_end/7"
    assert opencrm.client.get(url).json() == 0
    params = last_call(opencrm).params
    assert params["keywords"] == "a/b"
    assert params["limit_end"] == "7"


@pytest.mark.parametrize(
    "value",
    ["bob one two", "crmentity.modifiedtime|>|2018-11-15 12:46:00", "a+b", "50% & more", "Zoë"],
)
def test_path_values_arrive_exactly_as_sent(opencrm: OpenCRM, value: str) -> None:
    opencrm.client.get(path_url({**opencrm.credentials, "keywords": value}, "get_lead_list"))
    assert last_call(opencrm).params["keywords"] == value


def test_a_value_in_the_query_overrides_the_same_name_in_the_path(opencrm: OpenCRM) -> None:
    url = path_url({**opencrm.credentials, "limit_end": "1"})
    assert len(opencrm.client.get(url).json()) == 1
    assert len(opencrm.client.get(url, params={"limit_end": "2"}).json()) == 2


@pytest.mark.parametrize("body_format", ["form", "json", "multipart"])
def test_a_value_in_the_body_overrides_the_path_and_the_query(
    opencrm: OpenCRM, body_format: str
) -> None:
    url = path_url({**opencrm.credentials, "limit_end": "1"}) + "?limit_end=2"
    body = {"limit_end": "3"}
    if body_format == "form":
        response = opencrm.client.post(url, data=body)
    elif body_format == "json":
        response = opencrm.client.post(url, content=orjson.dumps(body))
    else:
        response = opencrm.client.post(url, files={"limit_end": (None, "3")})
    assert len(response.json()) == 3


def test_a_wrong_passkey_in_the_body_overrides_the_right_one_in_the_path(
    opencrm: OpenCRM,
) -> None:
    response = opencrm.client.post(path_url(opencrm.credentials), data={"passkey": "wrong"})
    assert response.json() == {"error": "Invalid User Details - AUTHENTICATION FAILED"}


def test_a_name_repeated_in_one_source_keeps_its_last_value(opencrm: OpenCRM) -> None:
    # PHP's $_POST keeps the last of repeated names.
    body = urlencode({**opencrm.credentials, "keywords": "first"}) + "&keywords=ar"
    opencrm.client.post(URL, content=body.encode(), headers={"content-type": FORM})
    assert last_call(opencrm).params["keywords"] == "ar"


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("keys_in", ["path", "body"])
def test_the_end_point_answers_the_same_with_a_trailing_slash(
    opencrm: OpenCRM, method: str, keys_in: str
) -> None:
    expected = opencrm.call(END_POINT, **REQUEST)
    if keys_in == "path":
        url, fields = path_url({**opencrm.credentials, **REQUEST}) + "/", {}
    else:
        url, fields = URL + "/", {**opencrm.credentials, **REQUEST}
    if method == "GET":
        response = opencrm.client.get(url, params=fields)
    else:
        response = opencrm.client.post(url, data=fields)
    assert response.json() == expected


@pytest.mark.parametrize("content_type", ["application/json", FORM, "text/plain", None])
@pytest.mark.parametrize("body", [b'{"key": "demo-key", "passkey": ', b"{", b"{'key': 'x'}"])
def test_malformed_json_is_unauthorized(
    opencrm: OpenCRM, body: bytes, content_type: str | None
) -> None:
    # Guide, "Error Messages": a badly formatted request (e.g. invalid JSON) -> Unauthorized,
    # even when the path carries a valid key pair.
    headers = {"content-type": content_type} if content_type else {}
    response = opencrm.client.post(path_url(opencrm.credentials), content=body, headers=headers)
    assert response.status_code == 200
    assert response.json() == {"error": "Unauthorized"}


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b'[{"key": "demo-key", "passkey": "demo-passkey"}]', "application/json"),
        (b'[{"key": "demo-key", "passkey": "demo-passkey"}]', FORM),
        (b'"demo-key"', "application/json"),
        (b"42", "application/json"),
    ],
)
def test_a_json_body_that_is_not_an_object_is_unauthorized(
    opencrm: OpenCRM, body: bytes, content_type: str
) -> None:
    url = path_url(opencrm.credentials)
    response = opencrm.client.post(url, content=body, headers={"content-type": content_type})
    assert response.json() == {"error": "Unauthorized"}


def test_a_body_that_is_not_valid_multipart_is_unauthorized(opencrm: OpenCRM) -> None:
    headers = {"content-type": "multipart/form-data; boundary=xyz"}
    response = opencrm.client.post(
        path_url(opencrm.credentials), content=b"--abc\r\n", headers=headers
    )
    assert response.status_code == 200
    assert response.json() == {"error": "Unauthorized"}


def test_json_scalars_become_strings_as_php_casts_them(opencrm: OpenCRM) -> None:
    body = {
        **opencrm.credentials,
        "limit_end": 2,
        "yes": True,
        "no": False,
        "nothing": None,
        "price": 12.5,
        "whole": 3.0,
    }
    answer = opencrm.client.post(URL, content=orjson.dumps(body)).json()
    assert len(answer) == 2
    params = last_call(opencrm).params
    assert {k: params[k] for k in ("limit_end", "yes", "no", "nothing", "price", "whole")} == {
        "limit_end": "2",
        "yes": "1",
        "no": "",
        "nothing": "",
        "price": "12.5",
        "whole": "3",
    }


def test_a_json_array_value_stays_structured(opencrm: OpenCRM) -> None:
    products = [{"lineid": "0", "productid": "270", "quantity": 2}]
    body = {**opencrm.credentials, "products": products, "extra": {"a": ["b"]}}
    opencrm.client.post("/api/rest/get_quote_list_count", content=orjson.dumps(body))
    params = last_call(opencrm).params
    assert params["products"] == products
    assert params["extra"] == {"a": ["b"]}


def quote_lines_after_edit(crm: OpenCRM, send: Callable[[dict[str, Any]], Any]) -> Any:
    quote_id = crm.call("get_quote_list")[0]["id"]
    products = [{"lineid": "0", "productid": "270", "quantity": "2", "listprice1": "10.00"}]
    assert send({**crm.credentials, "crmid": str(quote_id), "products": products}) == quote_id
    return crm.call("get_quote", crmid=str(quote_id))["products"]


def test_products_as_a_json_string_in_a_form_field_equal_products_in_a_json_body(
    opencrm: OpenCRM,
) -> None:
    # Guide, "Product Lines": a "products" POST field holding a JSON string, or the whole
    # edit as JSON; both describe the same lines.
    url = "/api/rest/edit_quote"

    def as_form(fields: dict[str, Any]) -> Any:
        fields = {**fields, "products": orjson.dumps(fields["products"]).decode()}
        return opencrm.client.post(url, data=fields).json()

    def as_json(fields: dict[str, Any]) -> Any:
        return opencrm.client.post(url, content=orjson.dumps(fields)).json()

    from_form = quote_lines_after_edit(opencrm, as_form)
    opencrm.reset()
    from_json = quote_lines_after_edit(opencrm, as_json)
    assert len(from_form) == 1
    assert from_form == from_json


def padded_form(crm: OpenCRM, size: int) -> bytes:
    """A form body of exactly ``size`` bytes that authenticates."""
    start = urlencode(crm.credentials).encode() + b"&pad="
    return start + b"x" * (size - len(start))


@pytest.mark.opencrm(max_body_bytes=1024)
def test_a_body_at_the_size_limit_is_accepted(opencrm: OpenCRM) -> None:
    response = opencrm.client.post(
        "/api/rest/get_contact_list_count",
        content=padded_form(opencrm, 1024),
        headers={"content-type": FORM},
    )
    assert isinstance(response.json(), int)


@pytest.mark.opencrm(max_body_bytes=1024)
@pytest.mark.parametrize("streamed", [False, True], ids=["content-length", "chunked"])
def test_a_body_over_the_size_limit_gets_a_clear_error(opencrm: OpenCRM, streamed: bool) -> None:
    body = padded_form(opencrm, 1025)
    content: Any = iter([body[:500], body[500:]]) if streamed else body
    response = opencrm.client.post(
        "/api/rest/get_contact_list_count", content=content, headers={"content-type": FORM}
    )
    assert response.status_code == 200
    assert response.json() == {"error": "Request body larger than 1024 bytes"}


@pytest.mark.opencrm(max_body_bytes=1024, error_status="http")
def test_a_body_over_the_size_limit_is_413_when_errors_use_http_statuses(
    opencrm: OpenCRM,
) -> None:
    response = opencrm.client.post("/api/rest/get_contact_list_count", content=b"x" * 2000)
    assert response.status_code == 413
    assert response.json() == {"error": "Request body larger than 1024 bytes"}
