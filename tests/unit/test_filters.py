"""Tests for emulator.domain.filters: parsing query_string and building LIKE patterns."""

from __future__ import annotations

import re

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from emulator.domain.filters import (
    ESCAPE_CHAR,
    Condition,
    Op,
    QueryStringError,
    like_pattern,
    parse,
)

NEGATIVE_OPERATORS = ["!=", "<>", "NE", "NOT LIKE"]
WRITTEN_OPERATORS = [op.value for op in Op] + NEGATIVE_OPERATORS


def only(query_string: str) -> Condition:
    (condition,) = parse(query_string)
    return condition


# --- operators ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "op"),
    [
        ("=", Op.EQ),
        ("LIKE", Op.LIKE),
        ("BEGINS", Op.BEGINS),
        ("ENDS", Op.ENDS),
        ("CONTAINS", Op.CONTAINS),
        (">", Op.GT),
        ("<", Op.LT),
        (">=", Op.GE),
        ("<=", Op.LE),
    ],
)
def test_each_operator_is_recognised(written: str, op: Op) -> None:
    assert parse(f"lastname|{written}|Smith") == (
        Condition(field="lastname", op=op, value="Smith", written_op=written),
    )
    assert not only(f"lastname|{written}|Smith").negation_ignored


@pytest.mark.parametrize(
    ("written", "op"),
    [
        ("like", Op.LIKE),
        ("Begins", Op.BEGINS),
        ("ends", Op.ENDS),
        ("CoNtAiNs", Op.CONTAINS),
        ("ne", Op.EQ),
        ("not like", Op.EQ),
    ],
)
def test_operators_match_case_insensitively(written: str, op: Op) -> None:
    condition = only(f"lastname|{written}|Smith")
    assert condition.op is op
    assert condition.written_op == written


@pytest.mark.parametrize("written", [*NEGATIVE_OPERATORS, "Not Like", "ne"])
def test_negative_operators_are_treated_as_equals(written: str) -> None:
    condition = only(f"lastname|{written}|Smith")
    assert condition.op is Op.EQ
    assert condition.written_op == written
    assert condition.negation_ignored


def test_not_like_accepts_any_inner_whitespace_and_keeps_it_in_written_op() -> None:
    condition = only("lastname| NOT \t LIKE |Smith")
    assert condition.op is Op.EQ
    assert condition.written_op == "NOT \t LIKE"
    assert condition.negation_ignored


def test_operator_and_field_are_stripped_of_surrounding_whitespace() -> None:
    assert only("  lastname  |  >=  |2020") == Condition("lastname", Op.GE, "2020", ">=")


def test_the_guides_modifiedtime_example_parses() -> None:
    assert only("crmentity.modifiedtime|>|2018-11-15 12:46:00") == Condition(
        "crmentity.modifiedtime", Op.GT, "2018-11-15 12:46:00", ">"
    )


def test_op_values_are_the_canonical_spellings() -> None:
    assert [op.value for op in Op] == [
        "=",
        "LIKE",
        "BEGINS",
        "ENDS",
        "CONTAINS",
        ">",
        "<",
        ">=",
        "<=",
    ]
    assert str(Op.GE) == ">="


# --- conditions and values ---------------------------------------------------------------


def test_several_conditions_joined_with_semicolons_are_all_returned_in_order() -> None:
    assert parse("lastname|=|Smith;firstname|BEGINS|Bo;crmentity.modifiedtime|>|2020-01-01") == (
        Condition("lastname", Op.EQ, "Smith", "="),
        Condition("firstname", Op.BEGINS, "Bo", "BEGINS"),
        Condition("crmentity.modifiedtime", Op.GT, "2020-01-01", ">"),
    )


def test_whitespace_after_a_separating_semicolon_belongs_to_the_next_field_name() -> None:
    assert parse("lastname|=|Smith;  firstname | = |Bob") == (
        Condition("lastname", Op.EQ, "Smith", "="),
        Condition("firstname", Op.EQ, "Bob", "="),
    )


def test_value_may_contain_pipes() -> None:
    assert only("description|CONTAINS|a|b||c").value == "a|b||c"


def test_semicolon_not_followed_by_a_condition_belongs_to_the_value() -> None:
    assert only("lastname|=|Smith;Jones") == Condition("lastname", Op.EQ, "Smith;Jones", "=")


@pytest.mark.parametrize(
    "value",
    [
        "Smith; Jones",
        "a;b|c",
        "a;b c|=|d",  # the field name pattern has no spaces
        "a;1x|=|d",  # ... and does not start with a digit
        "a;b|unknown|d",  # ... and the operator must be a known one
        "a;b|=",  # ... followed by a second '|'
        "x;;",
        "1; |=|2",  # ... and is not empty
    ],
)
def test_semicolons_before_anything_but_a_well_formed_condition_stay_in_the_value(
    value: str,
) -> None:
    assert only(f"lastname|=|{value}x").value == f"{value}x"


def test_semicolon_before_a_condition_with_a_known_operator_always_splits() -> None:
    assert parse("note|=|x;y|like|z") == (
        Condition("note", Op.EQ, "x", "="),
        Condition("y", Op.LIKE, "z", "like"),
    )


@pytest.mark.parametrize(
    "value",
    [
        " Smith ",
        "Mary Ann  Smith",
        "100%",
        "a_b",
        "C:\\path\\to",
        "Zoë Ångström 東京 🙂",
        "",
        "=|LIKE|",
        "line\nbreak",
    ],
)
def test_values_are_kept_verbatim(value: str) -> None:
    assert only(f"lastname|=|{value}").value == value


def test_table_prefix_is_kept_on_the_field_name() -> None:
    assert only("crmentity.smownerid|=|5").field == "crmentity.smownerid"


def test_field_name_is_kept_as_written_without_validation() -> None:
    assert only(" Last Name! |=|x").field == "Last Name!"


def test_a_single_trailing_semicolon_is_dropped() -> None:
    assert parse("lastname|=|Smith;") == (Condition("lastname", Op.EQ, "Smith", "="),)
    assert parse("a|=|1;b|=|2;") == (
        Condition("a", Op.EQ, "1", "="),
        Condition("b", Op.EQ, "2", "="),
    )


def test_only_one_trailing_semicolon_is_dropped() -> None:
    assert only("lastname|=|Smith;;").value == "Smith;"


def test_a_semicolon_followed_by_spaces_is_not_trailing() -> None:
    assert only("lastname|=|Smith; ").value == "Smith; "


@pytest.mark.parametrize("query_string", ["", " ", "\t\n  "])
def test_empty_or_whitespace_only_query_string_gives_no_conditions(query_string: str) -> None:
    assert parse(query_string) == ()


def test_parse_is_cached() -> None:
    assert parse("lastname|=|cached") is parse("lastname|=|cached")


# --- errors ------------------------------------------------------------------------------


@pytest.mark.parametrize("query_string", ["|=|Smith", "  |=|Smith", "\t|LIKE|x"])
def test_empty_field_name_is_an_error(query_string: str) -> None:
    with pytest.raises(QueryStringError, match="has an empty field name"):
        parse(query_string)


@pytest.mark.parametrize("query_string", ["lastname", "lastname|=", "lastname=Smith", ";", ";;"])
def test_condition_without_two_pipes_is_an_error(query_string: str) -> None:
    with pytest.raises(QueryStringError, match=r"needs two '\|' separators"):
        parse(query_string)


def test_a_broken_condition_before_a_good_one_is_an_error() -> None:
    with pytest.raises(QueryStringError, match=r"'a' is not FIELDNAME\|OPERATOR\|FIELDVALUE"):
        parse("a;b|=|1")


@pytest.mark.parametrize("operator", ["IN", "==", "", "LIKEX", "=>", "NOT", "\u212aIKE"])
def test_unknown_operator_is_an_error_naming_it_and_listing_the_supported_ones(
    operator: str,
) -> None:
    with pytest.raises(QueryStringError) as excinfo:
        parse(f"lastname|{operator}|Smith")
    message = str(excinfo.value)
    assert f"unknown query_string operator {operator!r}" in message
    assert "=, LIKE, BEGINS, ENDS, CONTAINS, >, <, >=, <=" in message


def test_query_string_error_is_a_value_error() -> None:
    assert issubclass(QueryStringError, ValueError)


# --- like_pattern ------------------------------------------------------------------------


def test_escape_char_is_a_backslash() -> None:
    assert ESCAPE_CHAR == "\\"


@pytest.mark.parametrize(
    ("op", "value", "pattern"),
    [
        (Op.LIKE, "Sm%th_", "Sm%th_"),
        (Op.LIKE, "100\\%", "100\\%"),
        (Op.BEGINS, "Smi", "Smi%"),
        (Op.ENDS, "ith", "%ith"),
        (Op.CONTAINS, "mit", "%mit%"),
        (Op.BEGINS, "", "%"),
        (Op.CONTAINS, "", "%%"),
    ],
)
def test_like_pattern_for_each_like_operator(op: Op, value: str, pattern: str) -> None:
    assert like_pattern(Condition("lastname", op, value, op.value)) == pattern


@pytest.mark.parametrize(
    ("op", "pattern"),
    [
        (Op.BEGINS, "100\\%\\_a\\\\b%"),
        (Op.ENDS, "%100\\%\\_a\\\\b"),
        (Op.CONTAINS, "%100\\%\\_a\\\\b%"),
    ],
)
def test_like_pattern_escapes_percent_underscore_and_backslash_for_begins_ends_contains(
    op: Op, pattern: str
) -> None:
    assert like_pattern(Condition("note", op, "100%_a\\b", op.value)) == pattern


@pytest.mark.parametrize("op", [Op.EQ, Op.GT, Op.LT, Op.GE, Op.LE])
def test_like_pattern_rejects_other_operators(op: Op) -> None:
    with pytest.raises(ValueError, match="LIKE, BEGINS, ENDS or CONTAINS"):
        like_pattern(Condition("lastname", op, "x", op.value))


def test_like_pattern_works_on_parsed_conditions() -> None:
    assert like_pattern(only("lastname|contains|O'_Brien")) == "%O'\\_Brien%"


# --- properties --------------------------------------------------------------------------

QUERYISH = st.text(alphabet=st.sampled_from("ab_.|;=<>!% \t\\LIKENOTlikenot") | st.characters())


@given(st.text() | QUERYISH)
def test_parse_never_raises_anything_but_query_string_error(text: str) -> None:
    try:
        conditions = parse(text)
    except QueryStringError:
        return
    assert all(isinstance(condition, Condition) for condition in conditions)


NEW_CONDITION_AHEAD = re.compile(r";\s*[A-Za-z_][A-Za-z0-9_.]*\s*\|")

fields = st.from_regex(r"[a-z_][a-z0-9_.]*", fullmatch=True)
padding = st.sampled_from(["", " ", "  ", "\t"])


@st.composite
def written_operators(draw: st.DrawFn) -> str:
    written = draw(st.sampled_from(WRITTEN_OPERATORS))
    return "".join(ch.lower() if draw(st.booleans()) else ch for ch in written)


values = st.text().filter(lambda value: NEW_CONDITION_AHEAD.search(value) is None)


@st.composite
def conditions(draw: st.DrawFn) -> tuple[str, Condition]:
    field, written, value = draw(fields), draw(written_operators()), draw(values)
    pads = [draw(padding) for _ in range(4)]
    text = f"{pads[0]}{field}{pads[1]}|{pads[2]}{written}{pads[3]}|{value}"
    expected_op = Op.EQ if written.upper() in NEGATIVE_OPERATORS else Op(written.upper())
    return text, Condition(field, expected_op, value, written)


@given(st.lists(conditions(), min_size=1, max_size=5))
def test_well_formed_conditions_joined_with_semicolons_parse_back(
    generated: list[tuple[str, Condition]],
) -> None:
    assume(not generated[-1][1].value.endswith(";"))
    parsed = parse(";".join(text for text, _ in generated))
    assert parsed == tuple(condition for _, condition in generated)
    negated = [c.written_op.upper() in NEGATIVE_OPERATORS for _, c in generated]
    assert [condition.negation_ignored for condition in parsed] == negated


@given(st.lists(conditions(), min_size=1, max_size=5))
def test_a_trailing_semicolon_does_not_change_the_result(
    generated: list[tuple[str, Condition]],
) -> None:
    assume(not generated[-1][1].value.endswith(";"))
    joined = ";".join(text for text, _ in generated)
    assert parse(joined + ";") == parse(joined)
