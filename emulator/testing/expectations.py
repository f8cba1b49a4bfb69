"""Questions to the journal, as WireMock users ask them: which calls match an end point and
parameter values, and ``assert_called`` with a failure that shows the near misses.

Entries are the journal's dicts (``Entry.as_dict()``). A parameter matches when its value is
equal, or equal as text (``crmid=150`` matches the form field ``"150"``); secrets are masked
in the journal, so they match only the mask.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

Entry = dict[str, Any]
Line = Callable[[Entry], str]
#: Near misses listed in a failure message, at most.
SHOWN = 10


class Missing:
    def __repr__(self) -> str:
        return "missing"


MISSING = Missing()


def same(found: Any, wanted: Any) -> bool:
    return found is not MISSING and (found == wanted or str(found) == str(wanted))


def differences(entry: Entry, wanted: Mapping[str, Any]) -> dict[str, tuple[Any, Any]]:
    """The wanted parameters the entry lacks or has other values of: name -> (found, wanted)."""
    given = entry["params"]
    pairs = {name: (given.get(name, MISSING), value) for name, value in wanted.items()}
    return {name: pair for name, pair in pairs.items() if not same(*pair)}


def select(
    entries: Iterable[Entry], end_point: str | None, wanted: Mapping[str, Any]
) -> list[Entry]:
    """The entries of that end point (any, if None) with those parameter values."""
    return [
        entry
        for entry in entries
        if end_point in (None, entry["end_point"]) and not differences(entry, wanted)
    ]


def assert_called(
    entries: Sequence[Entry], end_point: str, times: int | None, wanted: Mapping[str, Any]
) -> list[Entry]:
    """The matching entries, if there are ``times`` of them (at least one, if None)."""
    __tracebackhide__ = True
    found = select(entries, end_point, wanted)
    if len(found) == times or (times is None and found):
        return found
    raise AssertionError(failure(entries, end_point, times, wanted, found))


def failure(
    entries: Sequence[Entry],
    end_point: str,
    times: int | None,
    wanted: Mapping[str, Any],
    found: Sequence[Entry],
) -> str:
    lines = [f"expected {count(times)} to {end_point}{values(wanted)}, found {len(found)}"]
    if found and times is not None and len(found) > times:
        lines += ["the calls that match:", *listed(found, lambda e: call_line(e, wanted))]
    near = [e for e in entries if e["end_point"] == end_point and e not in found]
    if near:
        lines += [f"calls to {end_point} with other values:", *listed(near, near_miss(wanted))]
    elif not found:
        lines.append(f"no call to {end_point}; " + ("the calls made:" if entries else "no calls"))
        lines += listed(entries, lambda e: call_line(e, wanted))
    return "\n".join(lines)


def count(times: int | None) -> str:
    if times is None:
        return "at least one call"
    return "no call" if times == 0 else f"{times} call{'s' if times != 1 else ''}"


def values(params: Mapping[str, Any], prefix: str = " with ") -> str:
    shown = ", ".join(f"{name}={value!r}" for name, value in params.items())
    return prefix + shown if shown else ""


def call_line(entry: Entry, wanted: Mapping[str, Any]) -> str:
    """``#id end_point`` and the values it has of the parameters asked about."""
    given = {name: entry["params"][name] for name in wanted if name in entry["params"]}
    return f"#{entry['id']} {entry['end_point']}{values(given, ' ')}"


def near_miss(wanted: Mapping[str, Any]) -> Line:
    def line(entry: Entry) -> str:
        diff = differences(entry, wanted)
        shown = ", ".join(f"{n}={found!r} (expected {w!r})" for n, (found, w) in diff.items())
        return f"#{entry['id']} {shown}"

    return line


def listed(entries: Sequence[Entry], line: Line) -> list[str]:
    lines = [f"  {line(entry)}" for entry in entries[:SHOWN]]
    if len(entries) > SHOWN:
        lines.append(f"  ... and {len(entries) - SHOWN} more")
    return lines
