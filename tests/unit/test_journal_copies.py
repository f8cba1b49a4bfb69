"""The journal's quick copies (emulator/control/trimming.py): a value copied whole at C
speed is the copy, and costs the bytes, that the piece-by-piece copy gives."""

from __future__ import annotations

from typing import Any

import pytest

from emulator.control.secrets import Redactor
from emulator.control.trimming import Trimmer

SECRET = "0123456789abcdef0123456789abcdef"


class PieceByPiece(Trimmer):
    """A Trimmer that never takes a quick path."""

    def value(self, value: Any) -> Any:
        return self.copy(value)

    def flat(self, value: Any) -> None:
        return None


def redactor() -> Redactor:
    return Redactor(lambda text: {SECRET} if SECRET in text else set(), ["sent-passkey"])


ROW = {"id": 150, "crmid": 150, "firstname": "Bob", "lastname": "Jones", "email": ""}
VALUES = [
    ROW,
    [ROW] * 1000,
    {**ROW, "rate": 1.5, "active": True, "none": None},
    {**ROW, "note": f"has {SECRET} in it"},
    {**ROW, "note": "sent-passkey"},
    {**ROW, "long": "x" * 10_000},
    {"record": ROW, "products": [ROW] * 10},
    {**ROW, 7: "a number as a key"},
]


@pytest.mark.parametrize("value", VALUES)
@pytest.mark.parametrize("budget", [100, 2_000, 500_000])
def test_a_quick_copy_is_the_piece_by_piece_copy_at_the_same_cost(value: Any, budget: int) -> None:
    quick = Trimmer(8192, budget, redactor(), redactor().clean)
    slow = PieceByPiece(8192, budget, redactor(), redactor().clean)
    assert quick.value(value) == slow.value(value)
    assert quick.used == slow.used
