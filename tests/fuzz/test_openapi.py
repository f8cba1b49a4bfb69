"""The OpenAPI document (emulator/openapi): generated from the route table and the registry,
served at /_emulator/openapi.json, shipped as docs/openapi.json, and true to real answers."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import orjson
import pytest
import schemathesis
from openapi_spec_validator import validate

from emulator.docs import shipped_registry
from emulator.endpoints.table import api_end_points
from emulator.openapi import document, flattened, render
from emulator.pytest_plugin import OpenCRM
from emulator.serving.routes import control_routes

SHIPPED = Path(__file__).resolve().parents[2] / "docs" / "openapi.json"
REGENERATE = "python -m emulator.openapi docs/openapi.json"
DOCUMENT = document(shipped_registry(), control_routes())
SCHEMA = schemathesis.openapi.from_dict(DOCUMENT)
END_POINTS = api_end_points(shipped_registry())
CONFORMS = [schemathesis.checks.response_schema_conformance]


def test_docs_openapi_json_is_what_the_emulator_generates() -> None:
    assert SHIPPED.read_bytes() == render(DOCUMENT), (
        f"docs/openapi.json is stale: run `{REGENERATE}`"
    )


def test_python_m_emulator_openapi_writes_the_document(tmp_path: Path) -> None:
    out = tmp_path / "openapi.json"
    command = [sys.executable, "-W", "ignore", "-m", "emulator.openapi"]
    subprocess.run([*command, str(out)], timeout=120, check=True)
    printed = subprocess.run(command, capture_output=True, timeout=120, check=True).stdout
    assert out.read_bytes() == printed == render(DOCUMENT)


def test_the_emulator_serves_the_shipped_document_and_builds_it_once(opencrm: OpenCRM) -> None:
    first = opencrm.client.get("/_emulator/openapi.json")
    assert first.status_code == 200
    assert first.headers["content-type"] == "application/json"
    assert first.json() == orjson.loads(SHIPPED.read_bytes())
    assert opencrm.client.get("/_emulator/openapi.json").content is opencrm.app.state.openapi


def test_the_document_is_valid_openapi_3_1() -> None:
    assert DOCUMENT["openapi"] == "3.1.0"
    validate(DOCUMENT)


def test_every_end_point_of_the_route_table_is_described_for_get_and_post() -> None:
    api_paths = {p for p in DOCUMENT["paths"] if p.startswith("/api/rest/")}
    assert api_paths == {f"/api/rest/{name}" for name in END_POINTS}
    for name in END_POINTS:
        operations = DOCUMENT["paths"][f"/api/rest/{name}"]
        assert set(operations) == {"get", "post"}
        formats = operations["post"]["requestBody"]["content"]
        assert set(formats) == {
            "application/x-www-form-urlencoded",
            "multipart/form-data",
            "application/json",
        }


def test_every_control_route_is_described() -> None:
    routes = list(flattened(control_routes()))  # mounts too: /systems/{system}/...
    described = {
        (method.upper(), path)
        for path, operations in DOCUMENT["paths"].items()
        if path.startswith("/_emulator/")
        for method in operations
    }
    expected = {
        (m, f"/_emulator{path}") for path, r in routes for m in (r.methods or set()) - {"HEAD"}
    }
    assert described == expected


def test_each_edit_documents_the_module_fields_custom_fields_and_products() -> None:
    schemas = DOCUMENT["components"]["schemas"]
    contact = schemas["ContactsEditParams"]["properties"]
    assert {"crmid", "lastname", "cf_612", "key", "passkey"} <= set(contact)
    assert "createdtime" not in contact, "read-only fields are not edit parameters"
    assert "cf_612" in schemas["ContactsRow"]["properties"]
    assert "products" in schemas["QuotesEditParams"]["properties"]
    assert "products" not in contact
    quote_json = schemas["QuotesEditParamsJson"]["properties"]["products"]
    assert {"type": "string"} in quote_json["oneOf"]


def test_every_200_answer_may_be_the_error_shape() -> None:
    for name in END_POINTS:
        for operation in DOCUMENT["paths"][f"/api/rest/{name}"].values():
            schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
            assert {"$ref": "#/components/schemas/Error"} in schema["oneOf"]


def first_id(crm: OpenCRM, noun: str) -> str:
    return str(crm.call(f"get_{noun}_list", limit_end="1")[0]["id"])


def valid_arguments(crm: OpenCRM, name: str) -> dict[str, Any]:
    """Parameters that make ``name`` succeed, so the success shapes are checked, not errors."""
    end_point = END_POINTS[name]
    noun = end_point.module.noun if end_point.module else ""
    specials: dict[str, Any] = {
        "get_record_list_from_report": lambda: {"reportid": "2"},
        "edit_record_link": lambda: {
            "parent_id": first_id(crm, "company"),
            "child_id": first_id(crm, "contact"),
        },
        "add_to_campaign": lambda: {
            "campaignid": first_id(crm, "campaign"),
            "recordid": first_id(crm, "lead"),
        },
        "get_user_details": lambda: {"userid": first_id(crm, "user")},
    }
    if name in specials:
        return dict(specials[name]())
    if name.startswith("edit_"):
        return {"crmid": first_id(crm, noun), "description": "Checked against the document"}
    if name.startswith("get_") and not name.endswith(("_list", "_count", "_full")):
        return {"crmid": first_id(crm, noun)}
    return {"limit_end": "3"}


@pytest.mark.parametrize("media_type", ["application/x-www-form-urlencoded", "application/json"])
@pytest.mark.parametrize("name", sorted(END_POINTS))
def test_a_successful_answer_of_every_end_point_has_its_documented_shape(
    opencrm: OpenCRM, name: str, media_type: str
) -> None:
    body = {**opencrm.credentials, **valid_arguments(opencrm, name)}
    case = SCHEMA[f"/api/rest/{name}"]["POST"].Case(body=body, media_type=media_type)
    response = case.call(app=opencrm.app)
    assert "error" not in response.text, response.text
    case.validate_response(response, checks=CONFORMS)


def test_a_quote_with_product_lines_has_its_documented_shape(opencrm: OpenCRM) -> None:
    body = {**opencrm.credentials, "crmid": first_id(opencrm, "quote")}
    case = SCHEMA["/api/rest/get_quote"]["GET"].Case(query=body)
    response = case.call(app=opencrm.app)
    assert response.json()["products"], "the fixture quote has lines"
    case.validate_response(response, checks=CONFORMS)


def test_an_answer_of_another_shape_is_caught(opencrm: OpenCRM) -> None:
    body = {**opencrm.credentials, "crmid": first_id(opencrm, "contact")}
    form = "application/x-www-form-urlencoded"
    contact_case = SCHEMA["/api/rest/get_contact"]["POST"].Case(body=body, media_type=form)
    contact = contact_case.call(app=opencrm.app)
    quote_case = SCHEMA["/api/rest/get_quote"]["POST"].Case(body=body, media_type=form)
    with pytest.raises(BaseExceptionGroup) as caught:
        quote_case.validate_response(contact, checks=CONFORMS)
    assert [str(e).splitlines()[0] for e in caught.value.exceptions] == ["Response violates schema"]
