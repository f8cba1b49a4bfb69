"""A list's ``query_string`` and limits: a negative operator (the real API reads it as ``=``),
a condition on a field the API never fills, and a ``limit_end`` below ``limit_start``.

A query_string or a limit the end point cannot read is left to the end point, which answers
its own error."""

from __future__ import annotations

from collections.abc import Iterator

from emulator.domain.filters import QueryStringError, parse
from emulator.domain.modules import Module
from emulator.errors import RequestError
from emulator.wire import paging
from emulator.wire.params import Params
from emulator.wire.strict import Finding, quoted

#: The read-only fields an API write fills: the record header, the sales totals (recomputed
#: on every edit of a sales record) and ``reassigned_date`` (set when the owner changes);
#: the record number (``Module.number_field``) too.
API_FILLED = frozenset(
    {
        "smcreatorid", "modifiedby", "createdtime", "modifiedtime", "reassigned_date",
        "subtotal", "pre_tax_total", "tax_total", "total", "balance",
    }
)  # fmt: skip


def never_filled(module: Module) -> tuple[str, ...]:
    """The fields no API call ever fills: read-only, and not filled by an API write. Only
    the web application sets them (a lead's ``converted``, when it converts the lead) or
    keeps them (a company's balances, from its accounting; a ticket's ``update_log``)."""
    if not module.crmentity:
        return ()
    return tuple(
        f.name
        for f in module.fields
        if f.read_only and f.name not in API_FILLED and f.name != module.number_field
    )


def query_findings(module: Module, params: Params) -> Iterator[Finding]:
    try:
        conditions = parse(params.text("query_string"))
    except QueryStringError:
        return
    unfilled = never_filled(module)
    for c in conditions:
        written = quoted(f"{c.field}|{c.written_op}|{c.value}")
        if c.negation_ignored:
            yield Finding(
                "negative-operator",
                "query_string",
                f"condition {written} uses {c.written_op!r}, which the real API treats as '=':"
                f" it answers as for {quoted(f'{c.field}|=|{c.value}')}, the records that"
                " match, not the others",
            )
        field = module.query_field(c.field)
        if field is not None and field.name in unfilled:
            yield Finding(
                "never-filled-field",
                "query_string",
                f"condition {written} is on {field.name}, which the API never fills on"
                f" {module.display_title} (only the web application sets it): the real API"
                " runs it, but no record the API creates or edits gets a value there",
            )


def limit_findings(params: Params, limit_end_mode: str) -> Iterator[Finding]:
    if limit_end_mode != "end":  # as a count, any limit_end is a size
        return
    try:
        start = paging.number(params, "limit_start")
        end = paging.number(params, "limit_end")
    except RequestError:
        return
    if start is not None and end is not None and end < start:
        hint = f"; for {end} records after the first {start}, send limit_end={start + end}"
        yield Finding(
            "limit-order",
            "limit_end",
            f"limit_end {end} is below limit_start {start}: the real API reads limit_end as"
            f" an end index and answers no records{hint if end else ''}",
        )
