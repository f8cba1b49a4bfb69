"""Record links: ``edit_record_link`` (guide, "Record Linking (BETA)"; data-model.md §5.2).

A link joins two live records of any modules, as in the web app's sub-tabs: ``parent_id`` is
the record on screen, ``child_id`` the record picked. It is stored once, as vtiger's
``crmentityrel`` row (parent, parent module, child, child module), and read from both sides;
a pair already linked in either orientation is not linked again, so re-linking answers the
parent id and writes nothing. A new link is audited on both records: a "Linked(API)" entry
whose details name the other record, like vtiger's ``modtracker_relations`` (data-model.md
§5.4). Linking changes no field of either record (not even ``modifiedtime``), and never
rewrites single-valued references such as a contact's ``accountid``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from emulator.domain import audit
from emulator.domain.modules import Module
from emulator.errors import RecordNotFound, RequestError
from emulator.store.relations import Relations


@dataclass(frozen=True)
class LinkRequest:
    parent: int
    child: int


def id_param(params: Mapping[str, Any], name: str) -> int:
    """A required record id parameter (the same messages as ``crmid`` on other end points)."""
    value = params.get(name)
    text = value.strip() if isinstance(value, str) else ""
    if text == "":
        raise RequestError(f"Missing parameter: {name}")
    if not (text.isascii() and text.isdigit()) or len(text) > 18:
        raise RequestError(f"Invalid {name}: {text!r} is not a record id")
    return int(text)


def read_request(params: Mapping[str, Any]) -> LinkRequest:
    parent, child = id_param(params, "parent_id"), id_param(params, "child_id")
    if parent == child:
        raise RequestError(
            f"parent_id and child_id are the same record ({parent}): "
            "a record cannot be linked to itself"
        )
    return LinkRequest(parent, child)


def link(relations: Relations, conn: Any, request: LinkRequest, actor: audit.Actor) -> int:
    """Link the two records (inside the caller's transaction); the parent id."""
    parent_module = live(relations, conn, request.parent, "parent_id")
    child_module = live(relations, conn, request.child, "child_id")
    if relations.linked(conn, request.parent, request.child):
        return request.parent
    relations.add_link(conn, request.parent, parent_module, request.child, child_module)
    writer = relations.store.writer
    for module, crmid, other_module, other in (
        (parent_module, request.parent, child_module, request.child),
        (child_module, request.child, parent_module, request.parent),
    ):
        writer.add_audit(conn, module, crmid, actor, audit.LINKED, target(other_module, other))
    return request.parent


def live(relations: Relations, conn: Any, crmid: int, name: str) -> Module:
    module = relations.live_module(conn, crmid)
    if module is None:
        raise RecordNotFound(f"No record with id {crmid} ({name})")
    return module


def target(module: Module, crmid: int) -> list[tuple[str, str, str]]:
    """Audit details naming the other record of a link (vtiger's targetmodule / targetid)."""
    return [("targetmodule", "", module.record_module), ("targetid", "", str(crmid))]
