"""Campaign membership: ``add_to_campaign`` (guide, "Campaigns (BETA)"; data-model.md §5.3).

A lead, contact or company joins a live campaign with an optional ``relationship``,
``status`` and ``probability``; one membership per (campaign, record), so adding again
updates it: the fields sent replace theirs, the others keep their values (as on edits,
data-model.md §1.3), and ``modifiedtime`` moves on. The answer is the bare JSON string
``"Success"``, or an error message string, not ``{"error": ...}`` (the guide: "String
"Success" if a link was successfully made, or an error message string if not"), so every
failure here raises :class:`CampaignError`.

Rules where no source speaks (data-model.md §5.3 "Suggested"):

- ``status`` takes vtiger's ``campaignrelstatus`` values. Like every picklist on the API it is
  stored as sent (data-model.md §1.3: no validation); another value adds a journal warning.
  A new membership without a status gets ``--None--``, as does an empty status.
- ``probability`` is a whole number from 0 to 100 (or empty); anything else is refused,
  since the column is numeric.
- A new membership, or a change to one, is audited on the campaign and on the record
  ("Linked(API)", details naming the other record and the changed fields).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from emulator.domain import audit, links
from emulator.domain.modules import Module
from emulator.errors import CampaignError, RequestError
from emulator.store.relations import Relations

SUCCESS = "Success"
NO_STATUS = "--None--"
STATUSES = (
    NO_STATUS,
    "Contacted - Successful",
    "Contacted - Unsuccessful",
    "Contacted - Never Contact Again",
)
CAMPAIGN_MODULE = "Campaigns"
MEMBER_MODULES = frozenset({"Leads", "Contacts", "Accounts"})
OPTIONAL = ("relationship", "status", "probability")


@dataclass(frozen=True)
class MembershipRequest:
    campaignid: int
    recordid: int
    values: Mapping[str, str]  # the optional fields that were sent


def read_request(params: Mapping[str, Any], warnings: list[str]) -> MembershipRequest:
    try:
        campaignid = links.id_param(params, "campaignid")
        recordid = links.id_param(params, "recordid")
    except RequestError as exc:
        raise CampaignError(exc.message) from None
    values = {n: params[n].strip() for n in OPTIONAL if isinstance(params.get(n), str)}
    if "probability" in values:
        values["probability"] = probability(values["probability"])
    if values.get("status") == "":
        values["status"] = NO_STATUS
    if values.get("status", NO_STATUS) not in STATUSES:
        warnings.append(f"status {values['status']!r} is not a campaignrelstatus value")
    return MembershipRequest(campaignid, recordid, values)


def probability(text: str) -> str:
    if text == "":
        return ""
    if not (text.isascii() and text.isdigit()) or int(text) > 100:
        raise CampaignError(f"Invalid probability: {text!r} (a whole number from 0 to 100)")
    return str(int(text))


def add(relations: Relations, conn: Any, request: MembershipRequest, actor: audit.Actor) -> str:
    """Add or update the membership (inside the caller's transaction); ``"Success"``."""
    campaign = relations.live_module(conn, request.campaignid)
    if campaign is None or campaign.record_module != CAMPAIGN_MODULE:
        raise CampaignError(f"Invalid campaign: no campaign with id {request.campaignid}")
    member = relations.live_module(conn, request.recordid)
    if member is None or member.record_module not in MEMBER_MODULES:
        raise CampaignError(f"Invalid record: {request.recordid} is not a lead, contact or company")
    old = relations.membership(conn, request.campaignid, request.recordid)
    row, changes = merged(old, request, member, relations.store.clock.stamp())
    relations.save_membership(conn, row, new=old is None)
    if old is None or changes:
        cid, rid = request.campaignid, request.recordid
        for module, crmid, other, other_id in (
            (campaign, cid, member, rid),
            (member, rid, campaign, cid),
        ):
            details = links.target(other, other_id) + changes
            relations.store.writer.add_audit(conn, module, crmid, actor, audit.LINKED, details)
    return SUCCESS


def merged(
    old: Mapping[str, str] | None, request: MembershipRequest, member: Module, stamp: str
) -> tuple[dict[str, object], list[tuple[str, str, str]]]:
    """The membership row to save, and the (field, old, new) changes of its optional fields."""
    before = {n: (old or {}).get(n, "") for n in OPTIONAL}
    values = {**before, **request.values}
    if old is None:
        values["status"] = request.values.get("status", NO_STATUS)
    row: dict[str, object] = {
        **values,
        "campaignid": request.campaignid,
        "crmid": request.recordid,
        "module": member.record_module,
        "modifiedtime": stamp,
    }
    if old is None:
        row["createdtime"] = stamp
    changes = [(n, before[n], values[n]) for n in OPTIONAL if values[n] != before[n]]
    return row, changes
