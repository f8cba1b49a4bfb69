"""Schemathesis over the emulator's own OpenAPI document (``emulator.openapi``), in process.

Every OpenCRM end point is fuzzed by GET (query fields) and by POST in each body format the
document declares (form, multipart, JSON), with valid and invalid data (schemathesis'
its fuzzing phase): no answer may be a 5xx, and every answer must have a
documented status, the JSON content type and a body of its documented shape (which includes
OpenCRM's ``{"error": ...}``). Calls carry the demo key pair, so the fuzzer reaches past
authentication; a second run keeps the credentials it generates, to fuzz authentication
itself. The control plane is fuzzed too, except ``POST /seed`` (seeding 100,000 records is
slow by design; tests/http/test_control_plane.py covers it).

Each test is one operation, so pytest-xdist spreads them. ``-m slow`` runs a soak: the
coverage phase (boundary and invalid values of every field) plus 100 random examples per
operation, not derandomized, so each soak explores new inputs.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig

from emulator.docs import shipped_registry
from emulator.openapi import document
from emulator.pytest_plugin import OpenCRM
from emulator.serving.routes import control_routes

#: The coverage phase (boundary values per field) is left to the slow run: it builds its cases
#: while collecting, some 0.4 s per operation, whichever tests are selected.
CONFIG = SchemathesisConfig.from_dict({"phases": {"coverage": {"enabled": False}}})
DOCUMENT = document(shipped_registry(), control_routes())
SCHEMA = schemathesis.openapi.from_dict(DOCUMENT, config=CONFIG)
API = SCHEMA.include(path_regex="^/api/rest/")
#: One end point of each kind: where generated credentials are fuzzed.
EACH_KIND = (
    "login|get_contact_list|get_contact_list_count|get_contact_list_full|get_contact|edit_contact"
    "|get_user_details|edit_quote|get_record_list_from_report|edit_record_link|add_to_campaign"
)
AUTH = SCHEMA.include(path_regex=f"^/api/rest/({EACH_KIND})$")
CONTROL = SCHEMA.include(path_regex="^/_emulator/").exclude(path="/_emulator/seed")
CHECKS = [
    schemathesis.checks.not_a_server_error,
    schemathesis.checks.status_code_conformance,
    schemathesis.checks.content_type_conformance,
    schemathesis.checks.response_schema_conformance,
]
#: Reproducible in CI: the same examples every run, no example database, no time limit.
FUZZ = settings(
    max_examples=15,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
SOAK = settings(FUZZ, max_examples=100, derandomize=False)


def with_demo_keys(case: Any, crm: OpenCRM) -> None:
    """Put the demo key pair where the case sends its parameters (a body wins over the query);
    KEY1/KEY2 headers would take precedence over both, so they go."""
    case.headers = {
        k: v for k, v in (case.headers or {}).items() if k.upper() not in ("KEY1", "KEY2")
    }
    if isinstance(case.body, dict):
        case.body = {**case.body, **crm.credentials}
    else:
        case.query = {**(case.query or {}), **crm.credentials}


def call_and_check(case: Any, crm: OpenCRM) -> None:
    response = case.call(app=crm.app)
    case.validate_response(response, checks=CHECKS)


@API.parametrize()
@FUZZ
def test_every_end_point_answers_authenticated_calls_in_its_documented_shape(
    case: Any, opencrm: OpenCRM
) -> None:
    with_demo_keys(case, opencrm)
    call_and_check(case, opencrm)


@AUTH.parametrize()
@FUZZ
def test_generated_credentials_get_a_documented_answer_never_a_crash(
    case: Any, opencrm: OpenCRM
) -> None:
    call_and_check(case, opencrm)


@CONTROL.parametrize()
@FUZZ
def test_every_control_route_answers_in_its_documented_shape(case: Any, opencrm: OpenCRM) -> None:
    call_and_check(case, opencrm)


@pytest.fixture
def schema_with_coverage_phase() -> Any:
    """Built when the slow test runs (lazily), so its coverage phase costs nothing otherwise."""
    return schemathesis.openapi.from_dict(DOCUMENT)


SOAK_SCHEMA = schemathesis.pytest.from_fixture("schema_with_coverage_phase").include(
    path_regex="^/api/rest/"
)


@pytest.mark.slow
@SOAK_SCHEMA.parametrize()
@SOAK
def test_a_long_fuzz_of_every_end_point_finds_no_crash_or_wrong_shape(
    case: Any, opencrm: OpenCRM
) -> None:
    with_demo_keys(case, opencrm)
    call_and_check(case, opencrm)
