"""OpenCRM's per-record audit trail for API writes.

The guide ("Request Recording/Logging/API Limits") shows what a record's audit log says
after an API write (one line in the guide):

    Administrator (admin) 15-04-2016 15:54 Modified(API)
    Record modified by API call from IP: 12.34.45.56

The guide says that line shows for records "modified or added", so a create shows
``Modified(API)`` too; the ``create_audit_action`` setting gives ``Created(API)`` instead.
Beside that text, each entry keeps vtiger ModTracker's structure (data-model.md §5.4): who,
when, a status code (a create is status 2 whatever its text says), and one detail per changed
field with its old and new value.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

CREATED = 2  # vtiger ModTracker status codes
UPDATED = 0
LINKED = 4

#: The guide's action for records "modified or added" by the API, and the other wording of a
#: create (the ``create_audit_action`` setting).
MODIFIED = "Modified(API)"
CREATED_ACTION = "Created(API)"
#: The action of each status but a create's (links: the emulator's own word, none is documented).
ACTIONS = {UPDATED: MODIFIED, LINKED: "Linked(API)"}

Change = tuple[str, str, str]  # an audit detail: (field, old value, new value)


@dataclass(frozen=True, slots=True)
class Actor:
    """Who makes an API write: the API user and the caller's IP address."""

    user_id: int
    ip: str


def display_name(user: Mapping[str, str] | None, user_id: int) -> str:
    """``Administrator (admin)``: the full name with the user name in brackets."""
    if user is None:
        return f"User {user_id}"
    full = " ".join(p for p in (user.get("first_name", ""), user.get("last_name", "")) if p)
    return f"{full or user.get('user_name', '')} ({user.get('user_name', '')})"


def action(status: int, create_action: str = MODIFIED) -> str:
    """The action an entry of ``status`` shows: a create's is ``create_action``."""
    return create_action if status == CREATED else ACTIONS[status]


def entry_text(who: str, changed_on: str, action: str, ip: str) -> str:
    """The line OpenCRM shows in a record's audit log (time as dd-mm-yyyy HH:MM)."""
    d = changed_on  # stored as YYYY-MM-DD HH:MM:SS
    when = f"{d[8:10]}-{d[5:7]}-{d[0:4]} {d[11:16]}"
    return f"{who} {when} {action} Record modified by API call from IP: {ip}"


def changed_fields(
    old: Mapping[str, str], new: Mapping[str, str], ignore: frozenset[str] = frozenset()
) -> list[tuple[str, str, str]]:
    """(field, old value, new value) for each field whose wire value differs."""
    return [
        (name, old.get(name, ""), value)
        for name, value in new.items()
        if name not in ignore and old.get(name, "") != value
    ]
