"""Wherever the emulator decides an answer, it is JSON ``{"error": ...}`` (issue 12): other
HTTP methods under /api/rest, /api/rest itself, unknown paths, too many or too large headers.
Under /api/rest such errors take the API's form (HTTP 200 unless ``error_status`` is http)."""

from __future__ import annotations

import pytest
from starlette.applications import Starlette
from starlette.routing import Mount
from starlette.testclient import TestClient

from emulator.pytest_plugin import OpenCRM


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH", "OPTIONS"])
def test_another_method_under_api_rest_is_a_json_error(opencrm: OpenCRM, method: str) -> None:
    response = opencrm.client.request(method, "/api/rest/get_contact_list")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {"error": f"Method {method} not allowed: use GET or POST"}
    [entry] = opencrm.journal("get_contact_list")
    assert entry["response"] == response.json()


@pytest.mark.opencrm(error_status="http")
def test_another_method_is_a_405_when_errors_use_http_statuses(opencrm: OpenCRM) -> None:
    response = opencrm.client.request("DELETE", "/api/rest/get_contact_list")
    assert response.status_code == 405
    assert response.json() == {"error": "Method DELETE not allowed: use GET or POST"}


def test_head_is_answered_as_get(opencrm: OpenCRM) -> None:
    response = opencrm.client.head("/api/rest/get_contact_list_count", params=opencrm.credentials)
    assert response.status_code == 200


@pytest.mark.parametrize("path", ["/api/rest", "/api/rest/"])
def test_api_rest_without_an_end_point_is_a_json_error_not_a_redirect(
    opencrm: OpenCRM, path: str
) -> None:
    response = opencrm.client.post(path, data=opencrm.credentials)
    assert response.status_code == 200
    assert response.json() == {"error": "Unknown end point: (none given)"}


@pytest.mark.parametrize("path", ["/favicon.ico", "/api", "/_emulator/nothing"])  # / is the UI
def test_an_unknown_path_is_a_json_404(opencrm: OpenCRM, path: str) -> None:
    response = opencrm.client.get(path)
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {"error": "Not Found"}


def test_a_control_route_with_another_method_is_a_json_405(opencrm: OpenCRM) -> None:
    response = opencrm.client.delete("/_emulator/health")
    assert response.status_code == 405
    assert response.json() == {"error": "Method Not Allowed"}


def test_more_headers_than_allowed_is_an_api_error(opencrm: OpenCRM) -> None:
    headers = {f"x-filler-{n}": "1" for n in range(150)}
    response = opencrm.client.post(
        "/api/rest/get_contact_list_count", data=opencrm.credentials, headers=headers
    )
    assert response.status_code == 200
    assert response.json() == {"error": "Too many request headers: more than 100"}


@pytest.mark.opencrm(error_status="http")
def test_headers_too_large_are_a_431_when_errors_use_http_statuses(opencrm: OpenCRM) -> None:
    headers = {"x-filler": "x" * 70_000}
    response = opencrm.client.post(
        "/api/rest/get_contact_list_count", data=opencrm.credentials, headers=headers
    )
    assert response.status_code == 431
    assert response.json() == {"error": "Request headers larger than 65536 bytes"}


def test_headers_too_large_on_the_control_plane_are_a_json_431(opencrm: OpenCRM) -> None:
    response = opencrm.client.get("/_emulator/health", headers={"x-filler": "x" * 70_000})
    assert response.status_code == 431
    assert response.json() == {"error": "Request headers larger than 65536 bytes"}


def test_a_long_get_url_within_the_head_limit_is_answered(opencrm: OpenCRM) -> None:
    query = "lastname|CONTAINS|" + "a" * 9000
    params = {**opencrm.credentials, "query_string": query}
    response = opencrm.client.get("/api/rest/get_contact_list", params=params)
    assert response.json() == []


def test_a_method_no_api_route_takes_gets_starlettes_405_as_json(opencrm: OpenCRM) -> None:
    response = opencrm.client.request("TRACE", "/api/rest/get_contact")
    assert response.status_code == 405
    assert response.json() == {"error": "Method Not Allowed"}


def test_the_api_answers_the_same_when_served_under_a_root_path(opencrm: OpenCRM) -> None:
    form = {"key": opencrm.key, "passkey": opencrm.passkey, "crmid": "150"}
    agent = {"User-Agent": "my-integration/1.0"}
    direct = opencrm.client.post("/api/rest/get_contact", data=form)
    with TestClient(opencrm.app, root_path="/crm", headers=agent) as mounted:
        below = mounted.post("/api/rest/get_contact", data=form)
        unknown = mounted.post("/api/rest/no_such_end_point", data=form)
    assert below.status_code == direct.status_code == 200
    assert below.json() == direct.json()
    assert unknown.json() == opencrm.client.post("/api/rest/no_such_end_point", data=form).json()


def test_the_api_answers_the_same_when_mounted_under_a_prefix_in_another_app(
    opencrm: OpenCRM,
) -> None:
    """Starlette's Mount keeps its prefix in the path and the raw path, and names it in
    root_path: the end point is the segment after /api/rest, not the prefix."""
    form = {"key": opencrm.key, "passkey": opencrm.passkey, "crmid": "150"}
    outer = Starlette(routes=[Mount("/crm", app=opencrm.app)])
    with TestClient(outer, headers={"User-Agent": "my-integration/1.0"}) as client:
        below = client.post("/crm/api/rest/get_contact", data=form)
        in_path = client.get("/crm/api/rest/get_contact/crmid/150", params=form)
        unknown = client.post("/crm/api/rest/no_such_end_point", data=form)
    direct = opencrm.client.post("/api/rest/get_contact", data=form)
    assert below.status_code == 200
    assert below.json() == in_path.json() == direct.json()
    assert unknown.json() == {"error": "Unknown end point: no_such_end_point"}
