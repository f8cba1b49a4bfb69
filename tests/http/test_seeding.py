"""``--records N --seed S``: Faker top-up of every module, seen through the API (issue 3,
"Data": realistic en_GB records, deterministic per seed, linked to records that exist)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from emulator.domain.modules import FieldType, Module
from emulator.domain.product_lines import compute_line, compute_totals
from emulator.pytest_plugin import OpenCRM
from emulator.serving.cli import main
from emulator.settings import Settings
from emulator.systems import System

N = 30
TOTALS = ("subtotal", "tax_total", "pre_tax_total", "total")


def seeded(seed: int, **settings: Any) -> OpenCRM:
    return OpenCRM(System(Settings(records=N, seed=seed, **settings)))


@pytest.fixture(scope="module")
def crms() -> Iterator[tuple[OpenCRM, OpenCRM, OpenCRM]]:
    """Two emulators seeded alike and one with another seed."""
    made = (seeded(7), seeded(7), seeded(8))
    yield made
    for crm in made:
        crm.system.close()


@pytest.fixture(scope="module")
def crm(crms: tuple[OpenCRM, OpenCRM, OpenCRM]) -> OpenCRM:
    return crms[0]


@pytest.fixture(scope="module")
def records(crm: OpenCRM) -> dict[str, list[dict[str, Any]]]:
    """Every live record of every module, by noun (``get_<m>_list_full``)."""
    return {m.noun: crm.call(f"get_{m.noun}_list_full") for m in crm.system.registry}


def modules(crm: OpenCRM) -> list[Module]:
    return list(crm.system.registry)


def seeded_rows(crm: OpenCRM, noun: str, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows seeding added (not the fixtures')."""
    fixture_ids = {int(r.get("crmid") or r.get("id")) for r in fixture_rows(crm, noun)}
    return [r for r in rows if int(r["id"]) not in fixture_ids]


def fixture_rows(crm: OpenCRM, noun: str) -> list[dict[str, Any]]:
    if noun == "user":
        return crm.system.fixtures.users
    return crm.system.fixtures.records.get(noun, [])


def test_every_module_is_topped_up_to_exactly_n_live_records(crm: OpenCRM) -> None:
    for module in modules(crm):
        assert crm.call(f"get_{module.noun}_list_count") == N, module.noun


def test_the_same_seed_gives_byte_identical_answers(
    crms: tuple[OpenCRM, OpenCRM, OpenCRM],
) -> None:
    first, again, _ = crms
    for module in modules(first):
        end_point = f"/api/rest/get_{module.noun}_list_full"
        bodies = [c.client.post(end_point, data=c.credentials).content for c in (first, again)]
        assert bodies[0] == bodies[1], module.noun
    quote = first.call("get_quote_list")[-1]["id"]
    answers = [c.call("get_quote", crmid=str(quote)) for c in (first, again)]
    assert answers[0] == answers[1]
    assert answers[0]["products"]


def test_another_seed_gives_other_records(crms: tuple[OpenCRM, OpenCRM, OpenCRM]) -> None:
    first, _, other = crms
    for module in modules(first):
        mine, theirs = (c.call(f"get_{module.noun}_list_full") for c in (first, other))
        assert seeded_rows(first, module.noun, mine) != seeded_rows(other, module.noun, theirs)


def test_links_point_at_live_records_of_the_right_module(
    crm: OpenCRM, records: dict[str, list[dict[str, Any]]]
) -> None:
    ids = {noun: {int(r["id"]) for r in rows} for noun, rows in records.items()}
    anything = set().union(*(ids[m.noun] for m in modules(crm) if m.crmentity))
    checked = 0
    for module in modules(crm):
        for f in (f for f in module.fields if f.type is FieldType.REF):
            targets = anything if f.ref == "*" else ids[f.ref]
            for row in seeded_rows(crm, module.noun, records[module.noun]):
                if row[f.name] != "":
                    assert int(row[f.name]) in targets, (module.noun, f.name, row[f.name])
                    checked += 1
    assert checked > N * 20


def test_picklist_fields_hold_one_of_their_values(
    crm: OpenCRM, records: dict[str, list[dict[str, Any]]]
) -> None:
    for module in modules(crm):
        for f in (f for f in module.fields if f.type is FieldType.PICKLIST):
            values = {r[f.name] for r in seeded_rows(crm, module.noun, records[module.noun])}
            assert values <= {*f.picklist, ""}, (module.noun, f.name)


def test_contacts_belong_to_companies_and_deals_to_a_company_and_its_contacts(
    crm: OpenCRM, records: dict[str, list[dict[str, Any]]]
) -> None:
    company_of = {r["id"]: r["accountid"] for r in records["contact"]}
    assert all(company_of[r["id"]] != "" for r in seeded_rows(crm, "contact", records["contact"]))
    pairs = [
        (row["contact_id"], row["account_id"])
        for noun in ("quote", "salesorder", "invoice")
        for row in seeded_rows(crm, noun, records[noun])
        if row["contact_id"]
    ]
    assert pairs
    assert all(company_of[int(contact)] == company for contact, company in pairs)


def test_labels_look_real(crm: OpenCRM, records: dict[str, list[dict[str, Any]]]) -> None:
    contact = seeded_rows(crm, "contact", records["contact"])[0]
    company = next(r for r in records["company"] if r["id"] == int(contact["accountid"]))
    assert contact["firstname"].istitle()
    assert contact["email"].endswith(".example.co.uk")
    assert company["accountname"].split()[-1] in ("Ltd", "PLC", "LLP", "Co", "Group")
    quote = seeded_rows(crm, "quote", records["quote"])[0]
    assert " - " in quote["subject"]
    assert quote["quote_no"].startswith("QUO")


def test_sales_records_have_lines_and_totals_that_add_up(
    crm: OpenCRM, records: dict[str, list[dict[str, Any]]]
) -> None:
    ref = crm.system.reference
    products = {r["id"] for r in records["product"]}
    for module in (m for m in modules(crm) if m.sales):
        for row in seeded_rows(crm, module.noun, records[module.noun]):
            record = crm.call(f"get_{module.noun}", crmid=str(row["id"]))
            lines = record["products"]
            assert 1 <= len(lines) <= 5
            numbers = [int(line["linenumber"]) for line in lines]
            assert numbers == list(range(1, len(lines) + 1))
            assert all(int(line["productid"]) in products for line in lines)
            assert all(compute_line(line, ref) == line for line in lines)
            expected = compute_totals(record, lines, ref)
            assert {k: record[k] for k in TOTALS} == expected, (module.noun, row["id"])


def test_paid_invoices_are_received_in_full(
    crm: OpenCRM, records: dict[str, list[dict[str, Any]]]
) -> None:
    for row in seeded_rows(crm, "invoice", records["invoice"]):
        balance = Decimal(row["total"]) - Decimal(row["received"])
        assert Decimal(row["balance"]) == balance
        assert (row["invoicestatus"] == "Paid") == (balance == 0 and row["total"] != "0.00")


def test_records_created_after_seeding_get_the_next_ids_and_numbers(crm: OpenCRM) -> None:
    newest = max(r["id"] for r in crm.call("get_ticket_list"))
    crmid = crm.call("edit_ticket", crmid="0", title="After seeding")
    assert crmid > newest
    assert crm.call("get_ticket", crmid=str(crmid))["ticket_no"] == f"TT{N + 1}"
    crm.reset()


def test_the_seed_command_fills_a_file_database_once_and_a_server_sees_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="emulator.seed")  # progress: one info line a module
    path = str(tmp_path / "crm.sqlite")
    command = ["seed", "--database", path, "--records", "12", "--seed", "5"]
    assert main(command) == 0
    assert "seeding contact: 1/1" in caplog.messages  # 11 live fixture contacts, one added
    assert "seeding ticket: 7/7" in caplog.messages
    assert "contact 12" in capsys.readouterr().out
    caplog.clear()
    assert main(command) == 0
    assert not [m for m in caplog.messages if "seeding" in m]  # a second run adds nothing
    server = OpenCRM(System(Settings(database=path)))
    in_memory = OpenCRM(System(Settings(records=12, seed=5)))
    try:
        for module in modules(server):
            assert server.call(f"get_{module.noun}_list_count") == 12, module.noun
        assert server.call("get_company_list_full") == in_memory.call("get_company_list_full")
    finally:
        server.system.close()
        in_memory.system.close()
