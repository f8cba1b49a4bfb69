"""The ids the database gives after a snapshot restore or a reset: the same on SQLite and on
PostgreSQL. A product line's id is never given twice, not even after a restore (SQLite's
AUTOINCREMENT comes back with the image, so the next line goes on after the highest id the
snapshot had ever given); the next audit entry's id is one past the highest the restored
trail holds (1 for an empty one)."""

from __future__ import annotations

import json
from typing import Any

from emulator.pytest_plugin import OpenCRM

# Quote 420's own lines in the fixtures.
KEPT = [{"lineid": lineid} for lineid in ("123", "456", "789", "910")]
NEW_LINE = {"lineid": "0", "productid": "270", "quantity": "1"}


def control(crm: OpenCRM, method: str, path: str) -> Any:
    response = crm.client.request(method, f"/_emulator/{path}")
    assert response.status_code in (200, 201), response.text
    return response.json()


def set_lines(crm: OpenCRM, added: int) -> list[int]:
    """Quote 420 with its own lines and ``added`` new ones: the new lines' ids."""
    crm.call("edit_quote", crmid="420", products=json.dumps([*KEPT, *[NEW_LINE] * added]))
    kept = {line["lineid"] for line in KEPT}
    lines = crm.call("get_quote", crmid="420")["products"]
    return sorted(int(line["lineid"]) for line in lines if line["lineid"] not in kept)


def audit_ids(crm: OpenCRM, crmid: int = 150) -> list[int]:
    return [entry["id"] for entry in control(crm, "GET", f"records/{crmid}/audit")["entries"]]


def test_a_line_added_after_a_restore_goes_on_after_every_id_the_snapshot_had_given(
    opencrm: OpenCRM,
) -> None:
    highest = set_lines(opencrm, 3)[-1]
    set_lines(opencrm, 0)  # the three new lines removed: their ids are used up all the same
    control(opencrm, "POST", "snapshots/lines-removed")
    assert set_lines(opencrm, 1) == [highest + 1]
    control(opencrm, "POST", "snapshots/lines-removed/restore")
    assert set_lines(opencrm, 1) == [highest + 1]


def test_a_line_added_after_a_reset_gets_the_id_the_first_new_line_got(opencrm: OpenCRM) -> None:
    [first] = set_lines(opencrm, 1)
    set_lines(opencrm, 2)
    control(opencrm, "POST", "reset")
    assert set_lines(opencrm, 1) == [first]


def test_the_audit_ids_after_a_reset_start_again_from_the_first(opencrm: OpenCRM) -> None:
    opencrm.call("edit_contact", crmid="150", title="Before the reset")
    opencrm.call("edit_contact", crmid="150", title="Before the reset, again")
    before = audit_ids(opencrm)
    control(opencrm, "POST", "reset")
    opencrm.call("edit_contact", crmid="150", title="After the reset")
    opencrm.call("edit_contact", crmid="150", title="After the reset, again")
    assert audit_ids(opencrm) == before


def test_the_audit_ids_after_a_restore_go_on_from_the_snapshots_own_trail(
    opencrm: OpenCRM,
) -> None:
    control(opencrm, "POST", "snapshots/no-trail")
    opencrm.call("edit_contact", crmid="150", title="Dropped")
    [dropped] = audit_ids(opencrm)
    control(opencrm, "POST", "snapshots/no-trail/restore")
    opencrm.call("edit_contact", crmid="150", title="First")
    control(opencrm, "POST", "snapshots/one-entry")
    opencrm.call("edit_contact", crmid="150", title="Dropped too")
    opencrm.call("edit_contact", crmid="150", title="Dropped as well")
    control(opencrm, "POST", "snapshots/one-entry/restore")
    opencrm.call("edit_contact", crmid="150", title="Second")
    assert audit_ids(opencrm) == [dropped, dropped + 1]
