"""Values quoted in error messages: as sent, but cut. A message names what was wrong with the
value a client sent; it never echoes a whole 4 MB parameter or a 5,000-digit number."""

from __future__ import annotations

#: The most characters of a value an error message repeats.
MOST = 40


def cut(text: str, most: int = MOST) -> str:
    """``text``, or its first ``most`` characters and how long it was."""
    return text if len(text) <= most else f"{text[:most]}... ({len(text)} characters)"


def shown(text: str, most: int = MOST) -> str:
    """``text`` as Python's ``repr`` quotes it, cut after ``most`` characters."""
    if len(text) <= most:
        return repr(text)
    return f"{text[:most]!r}... ({len(text)} characters)"


def quoted(text: str, most: int = MOST) -> str:
    """``text`` in double quotes, cut after ``most`` characters."""
    if len(text) <= most:
        return f'"{text}"'
    return f'"{text[:most]}..." ({len(text)} characters)'
