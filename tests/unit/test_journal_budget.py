"""The journal's byte budget (issue 12, "Memory without a bound"): 100 calls with a 4 MB
parameter grew the server by 416 MB; a 100,000-line quote kept 187 MB per call. Big values
are now cut with a marker saying so, each entry has a budget, and the journal has one."""

from __future__ import annotations

from typing import Any

from emulator.control.journal import Journal

MB = 1024 * 1024


def add(journal: Journal, **facts: Any) -> Any:
    base: dict[str, Any] = {
        "time": "2026-01-02 09:00:00",
        "end_point": "edit_contact",
        "params": {},
        "source": "form",
        "status": 200,
        "response": 1,
        "duration_ms": 1.0,
        "ip": "127.0.0.1",
        "warnings": [],
    }
    return journal.add(**{**base, **facts})


def test_a_4_mb_parameter_is_kept_as_its_head_and_a_marker_giving_its_length() -> None:
    journal = Journal(1000, 32 * MB, 8192)
    entry = add(journal, params={"description": "x" * (4 * MB), "lastname": "Lovelace"})
    kept = entry.params["description"]
    assert kept.startswith("x" * 8192)
    assert kept.endswith(f"... [{4 * MB} characters, cut by the journal]")
    assert len(kept) < 8300
    assert entry.params["lastname"] == "Lovelace"


def test_300_entries_with_4_mb_parameters_stay_within_the_journals_bytes() -> None:
    journal = Journal(1000, 3 * MB // 2, 8192)
    big = "x" * (4 * MB)
    for n in range(300):
        add(journal, params={"description": big, "n": str(n)})
    assert journal.bytes <= 3 * MB // 2
    kept = journal.entries()
    assert 100 < len(kept) < 300
    assert kept[-1].params["n"] == "299"  # the newest are kept, the oldest go
    assert len(kept[-1].params["description"]) > 8192


def test_an_entry_takes_at_most_a_64th_of_the_journals_bytes() -> None:
    journal = Journal(1000, 64 * 100_000, 8192)
    lines = [{"lineid": str(n), "description": "d" * 1000} for n in range(19)]
    fields = {f"cf_{n}": "v" * 8000 for n in range(300)}
    entry = add(journal, response={**fields, "products": lines})
    assert journal.bytes <= 100_000
    assert entry.response["..."].endswith("more keys, cut by the journal]")


def test_a_long_list_inside_an_answer_keeps_its_first_rows_and_its_length() -> None:
    journal = Journal(1000, 32 * MB, 8192)
    lines = [{"lineid": str(n), "productid": "300"} for n in range(100_000)]
    entry = add(journal, response={"record_id": "420", "products": lines})
    assert entry.response["products"] == {"rows": 100_000, "first_rows": lines[:20]}
    assert entry.response["record_id"] == "420"


def test_a_long_list_answer_keeps_its_first_rows_and_its_length() -> None:
    journal = Journal(1000, 32 * MB, 8192)
    rows = [{"id": n} for n in range(50)]
    assert add(journal, response=rows).response == {"rows": 50, "first_rows": rows[:20]}
    assert add(journal, response=rows[:20]).response == rows[:20]


def test_thousands_of_warnings_and_parameter_names_are_cut_with_a_marker() -> None:
    journal = Journal(1000, 64 * 64 * 1024, 8192)
    names = {f"unknown_{n}": "" for n in range(100_000)}
    warnings = [f"ignored parameter 'unknown_{n}'" for n in range(100_000)]
    entry = add(journal, params=names, warnings=warnings)
    assert journal.bytes <= 64 * 1024
    assert entry.params["..."].endswith("more keys, cut by the journal]")
    assert entry.warnings[-1].endswith("more, cut by the journal]")


def test_a_journal_of_no_bytes_keeps_nothing() -> None:
    journal = Journal(1000, 0, 8192)
    add(journal)
    assert journal.entries() == []


def test_small_entries_are_kept_exactly() -> None:
    journal = Journal(1000, 32 * MB, 8192)
    params = {"lastname": "Lovelace", "n": 3, "flags": [True, None]}
    entry = add(journal, params=params, warnings=["ignored parameter 'x'"])
    assert entry.params == params
    assert entry.warnings == ["ignored parameter 'x'"]


def test_clearing_the_journal_frees_its_bytes() -> None:
    journal = Journal(1000, 32 * MB, 8192)
    add(journal, params={"description": "x" * 5000})
    assert journal.bytes > 5000
    journal.clear()
    assert journal.bytes == 0
