"""The OpenAPI document and the server agree on what is valid (issue 12): what the document
calls valid the server accepts, and what the server refuses the document calls invalid."""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from emulator.docs import shipped_registry
from emulator.domain.networks import PATTERN
from emulator.endpoints.control import MOST_SEEDED
from emulator.openapi import document
from emulator.pytest_plugin import OpenCRM
from emulator.serving.routes import control_routes

DOCUMENT = document(shipped_registry(), control_routes())
SCHEMA = schemathesis.openapi.from_dict(DOCUMENT)
FUZZ = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)


def body_schema(method: str, path: str) -> dict[str, Any]:
    operation = DOCUMENT["paths"][f"/_emulator/{path}"][method]
    schema: dict[str, Any] = operation["requestBody"]["content"]["application/json"]["schema"]
    return schema


def valid(schema: dict[str, Any], value: Any) -> bool:
    return jsonschema.Draft202012Validator(schema).is_valid(value)


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("post", "seed", {"records": 99_999}),
        ("post", "seed", {"records": MOST_SEEDED + 1}),
        ("post", "seed", {"modules": ["dragons"]}),
        ("put", "settings", {"ip_allow_list": [""]}),
        ("put", "settings", {"ip_allow_list": ["10.0.0.0/33"]}),
        ("put", "settings", {"faults": [{"kind": "status", "status": 204}]}),
        ("put", "settings", {"faults": [{"kind": "status", "status": 101}]}),
        ("put", "settings", {"rate_limit_per_minute": None}),
        ("post", "clock", {"set": ""}),
        ("post", "clock", {"set": "0001-01-01T00:00:00Z"}),
    ],
)
def test_what_the_server_refuses_the_document_calls_invalid(
    opencrm: OpenCRM, method: str, path: str, body: dict[str, Any]
) -> None:
    response = opencrm.client.request(method.upper(), f"/_emulator/{path}", json=body)
    assert response.status_code == 400
    assert not valid(body_schema(method, path), body)


def test_the_documents_seed_limit_is_the_servers(opencrm: OpenCRM) -> None:
    schema = body_schema("post", "seed")
    assert schema["properties"]["records"]["maximum"] == MOST_SEEDED
    nouns = sorted(m.noun for m in opencrm.system.registry)
    assert schema["properties"]["modules"]["items"]["enum"] == nouns
    assert valid(schema, {"records": 0, "modules": ["contact"]})


@given(entry=st.from_regex(PATTERN, fullmatch=True))
@FUZZ
def test_every_allow_list_entry_the_document_allows_is_accepted(
    opencrm: OpenCRM, entry: str
) -> None:
    assert valid(body_schema("put", "settings"), {"ip_allow_list": [entry]})
    response = opencrm.client.put("/_emulator/settings", json={"ip_allow_list": [entry]})
    assert response.status_code == 200, response.text
    opencrm.client.put("/_emulator/settings", json={"ip_allow_list": []})


POSITIVE = SCHEMA.include(path_regex="^/_emulator/clock$", method="POST")


@POSITIVE.parametrize()
@FUZZ
def test_every_clock_change_the_document_calls_valid_is_accepted(
    case: Any, opencrm: OpenCRM
) -> None:
    response = case.call(app=opencrm.app)
    case.validate_response(response, checks=[schemathesis.checks.positive_data_acceptance])
    opencrm.system.clock.reset()
