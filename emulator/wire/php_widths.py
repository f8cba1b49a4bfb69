"""How long a text a PHP ``date()`` format can make of one moment (years 1 to 9999).

A format's letters multiply the size of an answer (``r`` is 31 characters, ``e`` up to 32),
so ``dateTimeOverride`` and ``dateOverride`` are bounded by what they can make of one value,
not only by their length (emulator/wire/output.py). Every letter of
:mod:`emulator.wire.php_format` has its width here (a test keeps the two in step).
"""

from __future__ import annotations

#: The longest text each field can make (zone names: the longest IANA name has 32 letters).
WIDTHS: dict[str, int] = {
    **dict.fromkeys("NwLI", 1),
    **dict.fromkeys("djSWmntyaAghHGis", 2),
    **dict.fromkeys("DzMBv", 3),
    "Y": 4,
    **dict.fromkeys("oxXO", 5),
    **dict.fromkeys("uPpTZ", 6),
    **dict.fromkeys("lF", 9),
    "U": 12,
    "c": 25,
    "r": 31,
    "e": 32,
}


def longest_output(fmt: str) -> int:
    """The most characters ``php_date(fmt, ...)`` can make of one moment (years 1 to 9999):
    a format's letters can multiply the size of an answer (``r`` is 31 characters), so
    callers bound it before formatting thousands of values."""
    total = 0
    chars = iter(fmt)
    for char in chars:
        if char == "\\":
            next(chars, "")
            total += 1
        else:
            total += WIDTHS.get(char, 1)
    return total
