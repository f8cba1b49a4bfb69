"""Field labels for the dashboard, made from vtiger's run-together column names."""

from __future__ import annotations

import pytest

from emulator.domain.modules import default_registry
from emulator.domain.product_lines import LINE_FIELDS
from emulator.ui.labels import WORDS, label_for, label_of, split_words, words_of


@pytest.mark.parametrize(
    ("name", "label"),
    [
        ("firstname", "First Name"),
        ("bill_street_2", "Bill Street 2"),
        ("expectedresponsecount", "Expected Response Count"),
        ("accountname", "Company Name"),
        ("potentialname", "Opportunity Name"),
        ("s_h_amount", "S&H Amount"),
        ("time_taken_m", "Time Taken (min)"),
        ("vatnumber", "VAT Number"),
        ("noofemployees", "No. of Employees"),
        ("linenumber", "Line Number"),
        ("saved_pricing_used", "Saved Pricing Used"),
    ],
)
def test_a_name_is_cut_into_its_words(name: str, label: str) -> None:
    assert label_for(name) == label


def test_a_references_trailing_id_is_dropped_and_the_registrys_own_label_wins() -> None:
    quotes = default_registry().by_noun("quote")
    assert label_of(quotes.field("account_id")) == "Company"
    assert label_of(quotes.field("smownerid")) == "Assigned To"
    assert label_for("currency_id") == "Currency Id"  # not a reference: kept


def test_every_field_of_the_registry_and_of_a_product_line_is_made_of_known_words() -> None:
    """A new field whose name has a word the vocabulary lacks fails here: add the word."""
    names = [f.name for module in default_registry() for f in module.fields if not f.label]
    unknown = {
        name: pieces
        for name in [*names, *LINE_FIELDS]
        for part in name.split("_")
        if part
        for pieces in [words_of(part)]
        if any(p not in WORDS and not p.isdigit() and len(p) > 1 for p in pieces)
    }
    assert unknown == {}


def test_an_unknown_run_of_letters_stays_in_one_piece() -> None:
    assert split_words("zzqxfirst") == ["zzqx", "first"]
