"""Typed readers of an action's parameters: what an end point hands the backend.

Each reader checks its parameters in the order OpenCRM's answers show (the first problem
found is the error answered) and returns plain values, plus the journal warnings for what
the real API silently accepts.
"""

from __future__ import annotations

from emulator.domain import campaigns
from emulator.domain.filters import Condition, QueryStringError, parse
from emulator.domain.links import LinkRequest
from emulator.domain.lists import ListQuery
from emulator.domain.modules import Field, Module
from emulator.errors import CampaignError, ReportError, RequestError
from emulator.settings import Settings
from emulator.wire import paging
from emulator.wire.params import Params

#: Parameters every end point may carry that are not record fields.
RESERVED = frozenset(
    {
        "key",
        "passkey",
        "accesskey",
        "accesscode",
        "crmid",
        "module",
        "code",
        "products",
        "dateTimeOverride",
        "dateOverride",
        "change_assignedidtouser",
    }
)


def conditions(params: Params, settings: Settings) -> tuple[tuple[Condition, ...], list[str]]:
    """``query_string``'s conditions, and a warning for each negative operator, within the
    limits of the settings (``max_query_chars``, ``max_conditions``, ``max_keywords``, the
    keywords checked here too), which keep every statement inside SQLite's own: its LIKE
    patterns of at most 50,000 bytes, its expressions nested at most 1,000 deep."""
    text, keywords = params.text("query_string"), params.text("keywords")
    for name, value in (("query_string", text), ("keywords", keywords)):
        if len(value) > settings.max_query_chars:
            raise RequestError(f"Invalid {name}: longer than {settings.max_query_chars} characters")
    if len(keywords.split()) > settings.max_keywords:
        raise RequestError(f"Invalid keywords: more than {settings.max_keywords} words")
    try:
        found = parse(text)
    except QueryStringError as exc:
        raise RequestError(str(exc)) from None
    if len(found) > settings.max_conditions:
        raise RequestError(f"Invalid query_string: more than {settings.max_conditions} conditions")
    # The live API treats negative operators as "=" (observed-behaviour.md "query_string");
    # the journal says so, since the client surely meant otherwise.
    warnings = [
        f"operator {c.written_op!r} on {c.field!r} treated as '='"
        for c in found
        if c.negation_ignored
    ]
    return found, warnings


def list_query(params: Params, settings: Settings, found: tuple[Condition, ...]) -> ListQuery:
    """The records ``found`` picks, with ``keywords``, ``limit_start`` and ``limit_end``."""
    start, limit = paging.window(params, settings)
    return ListQuery(found, params.text("keywords"), start, limit)


def edit_values(module: Module, params: Params) -> tuple[dict[Field, str], list[str]]:
    """The fields an edit sets. Names the module does not have, and read-only fields, are
    ignored (the real API ignores them too) and reported as warnings for the journal."""
    values: dict[Field, str] = {}
    warnings: list[str] = []
    for name, value in params.items():
        if name in RESERVED:
            continue
        field = module.edit_field(name)
        if field is None or field.read_only or not isinstance(value, str):
            warnings.append(f"ignored parameter {name!r}")
            continue
        values[field] = value
    return values, warnings


def products(module: Module, params: Params) -> object | None:
    """A sales edit's ``products`` as sent (None: not sent, the lines stay as they are)."""
    return params.get("products") if module.sales else None


def link_request(params: Params) -> LinkRequest:
    return LinkRequest(params.required_id("parent_id"), params.required_id("child_id"))


def membership_request(params: Params) -> tuple[campaigns.MembershipRequest, list[str]]:
    """``add_to_campaign``'s parameters; its errors are bare strings (CampaignError)."""
    try:
        campaignid = params.required_id("campaignid")
        recordid = params.required_id("recordid")
    except RequestError as exc:
        raise CampaignError(exc.message) from None
    sent = {n: v for n in campaigns.OPTIONAL if isinstance(v := params.get(n), str)}
    values, warnings = campaigns.optional_values(sent)
    return campaigns.MembershipRequest(campaignid, recordid, values), warnings


def report_request(params: Params) -> tuple[int, bool]:
    """``reportid`` and ``isCustomReport``."""
    try:
        report_id = params.required_id("reportid", noun="report")
    except RequestError as exc:
        raise ReportError(exc.message) from None
    return report_id, params.flag("isCustomReport")
