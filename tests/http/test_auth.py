"""Authentication through HTTP: key pairs, KEY1/KEY2 headers, login access keys and their idle
expiry, and the exact error messages (guide, "Authentication" and "Error Messages";
observed-behaviour.md "Authentication")."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from emulator.pytest_plugin import OpenCRM
from emulator.settings import load_settings
from emulator.systems import System

URL = "/api/rest/get_contact_list_count"
FAILED = {"error": "Invalid User Details - AUTHENTICATION FAILED"}
UNAUTHORIZED = {"error": "Unauthorized"}
MINUTE = 60


def post(crm: OpenCRM, data: dict[str, str], url: str = URL, **headers: str) -> Any:
    response = crm.client.post(url, data=data, headers=headers)
    assert response.status_code == 200
    return response.json()


def login(crm: OpenCRM) -> str:
    access_key = post(crm, crm.credentials, "/api/rest/login")
    assert isinstance(access_key, str), access_key
    return access_key


def with_access_key(crm: OpenCRM, access_key: str) -> Any:
    return post(crm, {"accesskey": access_key})


def test_the_right_key_pair_is_accepted(opencrm: OpenCRM) -> None:
    assert isinstance(post(opencrm, opencrm.credentials), int)


def test_a_wrong_passkey_is_refused_with_the_exact_message(opencrm: OpenCRM) -> None:
    assert post(opencrm, {"key": opencrm.key, "passkey": "not-it"}) == FAILED


def test_a_wrong_key_is_refused_with_the_exact_message(opencrm: OpenCRM) -> None:
    assert post(opencrm, {"key": "not-it", "passkey": opencrm.passkey}) == FAILED


def test_a_passkey_that_belongs_to_no_key_is_refused(opencrm: OpenCRM) -> None:
    assert post(opencrm, {"key": opencrm.passkey, "passkey": opencrm.key}) == FAILED


@pytest.mark.parametrize(
    "fields",
    [
        pytest.param({"key": "demo-key"}, id="missing passkey"),
        pytest.param({"passkey": "demo-passkey"}, id="missing key"),
        pytest.param({"key": "demo-key", "passkey": ""}, id="empty passkey"),
        pytest.param({"key": "", "passkey": "demo-passkey"}, id="empty key"),
        pytest.param({}, id="nothing at all"),
        pytest.param({"keywords": "bob"}, id="only other parameters"),
        pytest.param({"apikey": "demo-key", "passkey": "demo-passkey"}, id="apikey instead of key"),
        pytest.param({"accesskey": "0123456789abcdef0123456789abcdef"}, id="unknown accesskey"),
        pytest.param({"accesscode": "0123456789abcdef0123456789abcdef"}, id="unknown accesscode"),
        pytest.param({"accesskey": ""}, id="empty accesskey"),
    ],
)
def test_missing_or_unknown_credentials_are_unauthorized(
    opencrm: OpenCRM, fields: dict[str, str]
) -> None:
    assert opencrm.key == "demo-key"  # the ids above spell the demo pair out
    assert post(opencrm, fields) == UNAUTHORIZED


def test_the_key_pair_headers_are_accepted(opencrm: OpenCRM) -> None:
    assert isinstance(post(opencrm, {}, KEY1=opencrm.key, KEY2=opencrm.passkey), int)


def test_a_wrong_pass_key_header_is_refused_with_the_exact_message(opencrm: OpenCRM) -> None:
    assert post(opencrm, {}, KEY1=opencrm.key, KEY2="not-it") == FAILED


def test_half_a_header_pair_is_unauthorized(opencrm: OpenCRM) -> None:
    assert post(opencrm, {}, KEY1=opencrm.key) == UNAUTHORIZED
    assert post(opencrm, {}, KEY2=opencrm.passkey) == UNAUTHORIZED


def test_headers_and_parameters_are_not_mixed_into_one_pair(opencrm: OpenCRM) -> None:
    # A documented choice (README "Fidelity notes"): the guide does not say how they mix.
    assert post(opencrm, {"passkey": opencrm.passkey}, KEY1=opencrm.key) == UNAUTHORIZED


def test_login_returns_the_access_key_as_a_bare_json_string(opencrm: OpenCRM) -> None:
    response = opencrm.client.post("/api/rest/login", data=opencrm.credentials)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert re.fullmatch(r'"[0-9a-f]{32}"', response.text)


def test_each_login_gives_a_new_access_key(opencrm: OpenCRM) -> None:
    assert login(opencrm) != login(opencrm)


def test_login_accepts_the_key_pair_headers(opencrm: OpenCRM) -> None:
    access_key = post(opencrm, {}, "/api/rest/login", KEY1=opencrm.key, KEY2=opencrm.passkey)
    assert isinstance(with_access_key(opencrm, access_key), int)


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"key": "demo-key", "passkey": "not-it"}, FAILED),
        ({"key": "demo-key"}, UNAUTHORIZED),
        ({}, UNAUTHORIZED),
    ],
)
def test_login_refuses_bad_credentials_with_the_same_messages(
    opencrm: OpenCRM, fields: dict[str, str], error: dict[str, str]
) -> None:
    assert post(opencrm, fields, "/api/rest/login") == error


def test_login_needs_a_key_pair_not_an_access_key(opencrm: OpenCRM) -> None:
    assert post(opencrm, {"accesskey": login(opencrm)}, "/api/rest/login") == UNAUTHORIZED


@pytest.mark.parametrize("name", ["accesskey", "accesscode"])
def test_an_access_key_from_login_authenticates(opencrm: OpenCRM, name: str) -> None:
    # The guide's error text names "accesscode"; live clients send "accesskey".
    expected = post(opencrm, opencrm.credentials)
    assert post(opencrm, {name: login(opencrm)}) == expected


def test_an_access_key_expires_after_the_idle_period(opencrm: OpenCRM) -> None:
    opencrm.clock.freeze()
    access_key = login(opencrm)
    opencrm.clock.advance(29 * MINUTE)
    assert isinstance(with_access_key(opencrm, access_key), int)
    opencrm.clock.advance(31 * MINUTE)
    assert with_access_key(opencrm, access_key) == UNAUTHORIZED


def test_each_use_renews_an_access_key(opencrm: OpenCRM) -> None:
    opencrm.clock.freeze()
    access_key = login(opencrm)
    for _ in range(4):  # two hours in all, never 30 minutes idle
        opencrm.clock.advance(29 * MINUTE)
        assert isinstance(with_access_key(opencrm, access_key), int)


def test_an_expired_access_key_stays_expired(opencrm: OpenCRM) -> None:
    opencrm.clock.freeze()
    access_key = login(opencrm)
    opencrm.clock.advance(31 * MINUTE)
    assert with_access_key(opencrm, access_key) == UNAUTHORIZED
    opencrm.clock.advance(-31 * MINUTE)
    assert with_access_key(opencrm, access_key) == UNAUTHORIZED


def test_an_access_key_is_valid_at_exactly_the_idle_period(opencrm: OpenCRM) -> None:
    opencrm.clock.freeze()
    access_key = login(opencrm)
    opencrm.clock.advance(30 * MINUTE)
    assert isinstance(with_access_key(opencrm, access_key), int)
    opencrm.clock.advance(30 * MINUTE + 1)
    assert with_access_key(opencrm, access_key) == UNAUTHORIZED


def test_a_refused_call_with_an_access_key_still_renews_it(opencrm: OpenCRM) -> None:
    # Like a web session, any request counts as activity (guide, "Authentication").
    opencrm.clock.freeze()
    access_key = login(opencrm)
    opencrm.clock.advance(20 * MINUTE)
    answer = post(opencrm, {"accesskey": access_key}, "/api/rest/get_contact")
    assert answer == {"error": "Missing parameter: crmid"}
    opencrm.clock.advance(20 * MINUTE)
    assert isinstance(with_access_key(opencrm, access_key), int)


@pytest.mark.opencrm(access_key_idle_minutes=5)
def test_the_idle_period_is_a_setting(opencrm: OpenCRM) -> None:
    opencrm.clock.freeze()
    access_key = login(opencrm)
    opencrm.clock.advance(4 * MINUTE)
    assert isinstance(with_access_key(opencrm, access_key), int)
    opencrm.clock.advance(6 * MINUTE)
    assert with_access_key(opencrm, access_key) == UNAUTHORIZED


def test_a_wrong_key_pair_wins_over_a_valid_access_key(opencrm: OpenCRM) -> None:
    fields = {"key": opencrm.key, "passkey": "not-it", "accesskey": login(opencrm)}
    assert post(opencrm, fields) == FAILED


#: (end point, parameters with the demo key pair, error, status when error_status = "http")
ERRORS = [
    ("get_contact_list_count", {"key": "demo-key", "passkey": "x"}, FAILED, 401),
    ("get_contact_list_count", {"key": "demo-key"}, UNAUTHORIZED, 401),
    ("login", {"passkey": "demo-passkey"}, UNAUTHORIZED, 401),
    ("no_such_end_point", {}, {"error": "Unknown end point: no_such_end_point"}, 404),
    ("get_contact", {"key": "demo-key", "passkey": "demo-passkey"}, None, 400),
    ("get_contact", {"key": "demo-key", "passkey": "demo-passkey", "crmid": "1"}, None, 404),
]


@pytest.mark.parametrize(("end_point", "fields", "error", "status"), ERRORS)
def test_errors_are_http_200_by_default(
    opencrm: OpenCRM, end_point: str, fields: dict[str, str], error: Any, status: int
) -> None:
    response = opencrm.client.post(f"/api/rest/{end_point}", data=fields)
    assert response.status_code == 200
    assert set(response.json()) == {"error"}
    if error:
        assert response.json() == error


@pytest.mark.opencrm(error_status="http")
@pytest.mark.parametrize(("end_point", "fields", "error", "status"), ERRORS)
def test_errors_get_http_statuses_when_the_setting_asks(
    opencrm: OpenCRM, end_point: str, fields: dict[str, str], error: Any, status: int
) -> None:
    response = opencrm.client.post(f"/api/rest/{end_point}", data=fields)
    assert response.status_code == status
    assert set(response.json()) == {"error"}
    if error:
        assert response.json() == error


def test_the_error_status_can_be_switched_while_the_emulator_runs(opencrm: OpenCRM) -> None:
    opencrm.settings(error_status="http")
    response = opencrm.client.post(URL, data={"key": opencrm.key})
    assert (response.status_code, response.json()) == (401, UNAUTHORIZED)
    opencrm.settings(error_status="200")
    assert opencrm.client.post(URL, data={"key": opencrm.key}).status_code == 200


@pytest.fixture
def several_pairs(tmp_path: Path) -> Iterator[OpenCRM]:
    config = tmp_path / "emulator.toml"
    config.write_text(
        'key = "main-key"\npasskey = "main-pass"\n\n'
        '[[key_pairs]]\nkey = "shop"\npasskey = "shop-pass"\n\n'
        '[[key_pairs]]\nkey = "erp"\npasskey = "erp-pass"\n'
    )
    backend = System(load_settings({"config": str(config)}))
    try:
        yield OpenCRM(backend)
    finally:
        backend.close()


@pytest.mark.parametrize(
    ("key", "passkey"), [("main-key", "main-pass"), ("shop", "shop-pass"), ("erp", "erp-pass")]
)
def test_every_key_pair_of_a_config_file_authenticates(
    several_pairs: OpenCRM, key: str, passkey: str
) -> None:
    fields = {"key": key, "passkey": passkey}
    assert isinstance(post(several_pairs, fields), int)
    access_key = post(several_pairs, fields, "/api/rest/login")
    assert isinstance(with_access_key(several_pairs, access_key), int)


def test_a_key_with_another_pairs_passkey_is_refused(several_pairs: OpenCRM) -> None:
    assert post(several_pairs, {"key": "shop", "passkey": "erp-pass"}) == FAILED
    assert post(several_pairs, {"key": "demo-key", "passkey": "demo-passkey"}) == FAILED
