"""The OpenCRM end points in the OpenAPI document: parameters and answers, per end point kind.

The kind comes from the end point table (emulator/endpoints/table.py); the fields and the answer
shapes from its module in the registry. Every end point answers ``{"error": "..."}`` with HTTP
200 when it cannot do what was asked (guide, "Error Messages"; observed-behaviour.md "Response
shapes"), so each 200 answer is a ``oneOf`` of its own shape and that error.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from emulator.domain.modules import Field, Module, Registry
from emulator.endpoints.table import EndPoint, Kind, api_end_points

Schema = dict[str, Any]
MEDIA_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data", "application/json")
TEXT: Schema = {"type": "string"}
INTEGER: Schema = {"type": "integer"}
DIGITS: Schema = {"type": "string", "pattern": "^[0-9]+$", "maxLength": 18}
MAYBE_DIGITS: Schema = {"type": "string", "pattern": "^[0-9]*$", "maxLength": 18}
#: JSON bodies may hold numbers, booleans and null where a form holds text: PHP casts them.
JSON_SCALAR = ["string", "number", "boolean", "null"]


def ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


def obj(properties: dict[str, Schema], required: Iterable[str] = (), **more: Any) -> Schema:
    return {"type": "object", "properties": properties, "required": list(required), **more}


def array(items: Schema) -> Schema:
    return {"type": "array", "items": items}


# -- parameters -----------------------------------------------------------------------------

Param = tuple[str, Schema, str, bool]  # name, schema, description, required


def param(name: str, schema: Schema, description: str, required: bool = False) -> Param:
    return (name, schema, description, required)


CREDENTIALS = (
    param("key", TEXT, "API key; with `passkey` (or the headers KEY1/KEY2)"),
    param("passkey", TEXT, "The API key's passkey"),
    param("accesskey", TEXT, "An access key from `login`, instead of the key pair"),
)
OUTPUT = (
    param("dateTimeOverride", TEXT, "PHP date() format for date-times; `_` = space, `*` = /"),
    param("dateOverride", TEXT, "PHP date() format for dates; `_` = space, `*` = /"),
    param("change_assignedidtouser", TEXT, "User fields (comma-separated) shown as user names"),
)
LIMITS = (
    param("limit_start", MAYBE_DIGITS, "Skip this many records"),
    param("limit_end", MAYBE_DIGITS, "End index (or count: setting `limit_end_mode`)"),
)
FILTERS = (
    param("query_string", TEXT, "`FIELD|OP|VALUE` conditions joined by `;` (ANDed)"),
    param("keywords", TEXT, "Words each found in a keyword field"),
    *LIMITS,
)
PRODUCTS = "Product lines: a JSON array of line objects (a string holding one in forms)"
KIND_PARAMS: dict[str, tuple[Param, ...]] = {
    "login": CREDENTIALS[:2],
    "count": (*CREDENTIALS, *FILTERS),
    "list": (*CREDENTIALS, *FILTERS, *OUTPUT),
    "get": (*CREDENTIALS, param("crmid", DIGITS, "The record id", True), *OUTPUT),
    "user": (
        *CREDENTIALS,
        *(param(n, DIGITS, "The user id (any of userid, id, crmid)") for n in ("userid", "id")),
        param("crmid", DIGITS, "The user id"),
        *OUTPUT,
    ),
    "edit": (*CREDENTIALS, param("crmid", DIGITS, "The record id; 0 creates a record", True)),
    "report": (
        *CREDENTIALS,
        param("reportid", DIGITS, "The report id", True),
        param("isCustomReport", TEXT, "`true` for a custom report"),
        *LIMITS,
        *OUTPUT,
    ),
    "link": (
        *CREDENTIALS,
        param("parent_id", DIGITS, "The record on screen", True),
        param("child_id", DIGITS, "The record linked to it", True),
    ),
    "campaign": (
        *CREDENTIALS,
        param("campaignid", DIGITS, "The campaign", True),
        param("recordid", DIGITS, "A lead, contact or company", True),
        *(param(n, TEXT, f"The membership's {n}") for n in ("relationship", "status")),
        param("probability", MAYBE_DIGITS, "0 to 100"),
    ),
}
#: The parameter group of each kind of end point (KIND_PARAMS).
GROUPS: dict[Kind, str] = {kind: kind.value for kind in Kind} | {Kind.LIST_FULL: "list"}


def params_name(end_point: EndPoint) -> str:
    """The component naming an end point's parameters: one per kind, one per edited module."""
    kind, module = GROUPS[end_point.kind], end_point.module
    if kind == "edit" and module is not None:
        return f"{module.record_module}Edit"
    return kind.capitalize()


def edit_params(module: Module) -> tuple[Param, ...]:
    fields = [param(f.name, TEXT, described(f)) for f in module.fields if not f.read_only]
    products = [param("products", TEXT, PRODUCTS)] if module.sales else []
    return (*KIND_PARAMS["edit"], *fields, *products)


def described(f: Field) -> str:
    aliases = f" (also {', '.join(f.aliases)})" if f.aliases else ""
    return f"{f.label or f.name}: {f.type.value}{aliases}"


def params_schemas(name: str, params: Sequence[Param]) -> dict[str, Schema]:
    """``<name>Params`` (forms, query) and ``<name>ParamsJson`` (JSON scalars as PHP casts
    them; products as JSON too). Other names are ignored, as OpenCRM does."""
    props = {n: {**s, "description": d} for n, s, d, _ in params}
    required = [n for n, _, _, r in params if r]
    form = obj(props, required, additionalProperties=TEXT)
    as_json = obj(
        {n: {**s, "type": JSON_SCALAR} for n, s in props.items()},
        required,
        additionalProperties={"type": JSON_SCALAR},
    )
    if "products" in props:
        lines = array({"type": "object", "additionalProperties": {"type": JSON_SCALAR}})
        as_json["properties"]["products"] = {"oneOf": [lines, TEXT], "description": PRODUCTS}
    return {f"{name}Params": form, f"{name}ParamsJson": as_json}


def query_parameters(name: str | None) -> list[Schema]:
    """The parameters as query fields (each property of the schema is one), plus the headers."""
    found = []
    if name is not None:
        exploded = {"style": "form", "explode": True, "schema": ref(f"{name}Params")}
        found.append({"name": "params", "in": "query", "required": False, **exploded})
    return [
        *found,
        {"$ref": "#/components/parameters/KEY1"},
        {"$ref": "#/components/parameters/KEY2"},
    ]


def shared_parameters() -> dict[str, Schema]:
    """The key pair as headers (guide, "Authentication")."""
    return {
        h: {"name": h, "in": "header", "required": False, "description": d, "schema": TEXT}
        for h, d in (("KEY1", "API key, as a header"), ("KEY2", "Its passkey, as a header"))
    }


def body(name: str) -> Schema:
    """The same parameters in each body format."""
    content = {
        media: {"schema": ref(f"{name}ParamsJson" if "json" in media else f"{name}Params")}
        for media in MEDIA_TYPES
    }
    return {"required": False, "content": content}


# -- answers ---------------------------------------------------------------------------------

HTTP_ERRORS = {
    "400": "A request the end point cannot answer",
    "401": "Missing or wrong credentials, or a badly formatted request",
    "403": "Refused by runtime behaviour: API disabled, IP not allowed, rate limit",
    "404": "Unknown end point or record",
    "413": "Request body over `max_body_bytes`",
}


def answer(end_point: EndPoint) -> Schema:
    kind, module = GROUPS[end_point.kind], end_point.module
    if kind in ("list", "get", "user") and module is not None:
        if kind != "list":
            return ref(f"{module.record_module}Record")
        full = end_point.kind is Kind.LIST_FULL
        return array(ref(f"{module.record_module}{'Row' if full else 'ListRow'}"))
    simple = {"count": "Count", "edit": "RecordId", "link": "RecordId", "login": "AccessKey"}
    if kind in simple:
        return ref(simple[kind])
    return array(ref("ReportRow")) if kind == "report" else ref("CampaignAnswer")


def json_content(schema: Schema) -> Schema:
    return {"application/json": {"schema": schema}}


def shared_responses() -> dict[str, Schema]:
    """``Error<status>`` (OpenCRM errors under ``error_status: http``), ``CampaignError400``
    (add_to_campaign answers its own errors as a bare string, guide "Campaigns (BETA)"),
    ``Fault`` (a fault injected through the control plane, any status)."""
    found = {
        f"Error{status}": {
            "description": f"{why} (only with the setting `error_status: http`)",
            "content": json_content(ref("Error")),
        }
        for status, why in HTTP_ERRORS.items()
    }
    # The web firewall's refusal (setting waf) is an HTML page, whatever error_status says.
    found["Error403"] = {
        "description": "Refused by the web firewall (a User-Agent containing python, or"
        " curl's default: an HTML page, setting `waf`), or by runtime behaviour: API disabled,"
        " IP not allowed, rate limit (only with the setting `error_status: http`)",
        "content": {**json_content(ref("Error")), "text/html": {"schema": TEXT}},
    }
    campaign = {"oneOf": [ref("CampaignAnswer"), ref("Error")]}
    found["CampaignError400"] = {**found["Error400"], "content": json_content(campaign)}
    found["Fault"] = {"description": "A fault injected through the control plane"}
    found["Fault"]["content"] = json_content(ref("Error"))
    return found


def responses(end_point: EndPoint) -> Schema:
    ok = {"oneOf": [answer(end_point), ref("Error")]}
    found = {"200": {"description": "The answer, or an error", "content": json_content(ok)}}
    campaign = end_point.kind is Kind.CAMPAIGN
    for status in HTTP_ERRORS:
        name = "CampaignError400" if campaign and status == "400" else f"Error{status}"
        found[status] = {"$ref": f"#/components/responses/{name}"}
    found["default"] = {"$ref": "#/components/responses/Fault"}
    return found


def operations(end_point: EndPoint) -> Schema:
    name = params_name(end_point)
    tag = end_point.module.record_module if end_point.module else "Session, reports and links"
    common = {"tags": [tag], "summary": end_point.name, "responses": responses(end_point)}
    if end_point.origin != "guide":
        common["description"] = f"Not in the guide: {end_point.origin} (see the README)."
    return {
        "get": {**common, "operationId": f"{end_point.name}_by_get"}
        | {"parameters": query_parameters(name)},
        "post": {**common, "operationId": end_point.name, "requestBody": body(name)}
        | {"parameters": query_parameters(None)},
    }


def module_schemas(module: Module) -> dict[str, Schema]:
    ids = {"id": INTEGER} | ({"crmid": INTEGER} if module.crmentity else {})
    closed = {"additionalProperties": False}

    def row(fields: Iterable[Field]) -> Schema:
        props = ids | {f.name: TEXT for f in fields}
        return obj(props, props, **closed)

    record = {f.name: TEXT for f in module.fields}
    record |= {"record_id": DIGITS, "record_module": {"const": module.record_module}}
    if module.sales:
        record["products"] = array(ref("ProductLine"))
    name = module.record_module
    return {
        f"{name}ListRow": row(module.list_fields),
        f"{name}Row": row(module.fields),
        f"{name}Record": obj(record, record, **closed),
    }


def shared_schemas() -> dict[str, Schema]:
    return {
        "Error": obj({"error": TEXT}, ["error"], additionalProperties=False),
        "Count": {"type": "integer", "minimum": 0},
        "RecordId": {"type": "integer", "minimum": 1},
        "AccessKey": {"type": "string", "minLength": 1},
        "CampaignAnswer": {"type": "string", "description": '"Success" or an error message'},
        "ReportRow": obj({"id": INTEGER, "crmid": INTEGER}, additionalProperties=TEXT),
        "ProductLine": obj({"lineid": DIGITS}, ["lineid"], additionalProperties=TEXT),
    }


def paths(registry: Registry) -> dict[str, Schema]:
    """``/api/rest/<end_point>`` for every end point of the route table."""
    return {f"/api/rest/{e.name}": operations(e) for e in api_end_points(registry).values()}


def schemas(registry: Registry) -> dict[str, Schema]:
    found = shared_schemas()
    for kind, params in KIND_PARAMS.items():
        if kind != "edit":
            found |= params_schemas(kind.capitalize(), params)
    edited = {e.module for e in api_end_points(registry).values() if e.kind is Kind.EDIT}
    for module in registry:
        found |= module_schemas(module)
        if module in edited:
            found |= params_schemas(f"{module.record_module}Edit", edit_params(module))
    return found
