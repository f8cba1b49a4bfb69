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

from emulator.domain.modules import Module
from emulator.errors import CampaignError

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


def optional_values(sent: Mapping[str, str]) -> tuple[dict[str, str], list[str]]:
    """The optional fields as stored, and warnings for the journal."""
    values = {name: sent[name].strip() for name in OPTIONAL if name in sent}
    if "probability" in values:
        values["probability"] = probability(values["probability"])
    if values.get("status") == "":
        values["status"] = NO_STATUS
    warnings = []
    if values.get("status", NO_STATUS) not in STATUSES:
        warnings.append(f"status {values['status']!r} is not a campaignrelstatus value")
    return values, warnings


def probability(text: str) -> str:
    if text == "":
        return ""
    if not (text.isascii() and text.isdigit()) or int(text) > 100:
        raise CampaignError(f"Invalid probability: {text!r} (a whole number from 0 to 100)")
    return str(int(text))


def campaign(module: Module | None, campaignid: int) -> Module:
    if module is None or module.record_module != CAMPAIGN_MODULE:
        raise CampaignError(f"Invalid campaign: no campaign with id {campaignid}")
    return module


def member(module: Module | None, recordid: int) -> Module:
    if module is None or module.record_module not in MEMBER_MODULES:
        raise CampaignError(f"Invalid record: {recordid} is not a lead, contact or company")
    return module


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
