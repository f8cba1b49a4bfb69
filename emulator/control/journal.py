"""The emulator's record of every API call, for tests and users to inspect.

OpenCRM records every REST call in its own database (guide, "Request Recording"); the
emulator keeps the same facts in memory, bounded to ``journal_size`` entries. Secrets never
enter it: passkeys, access keys and the login answer are masked before an entry is stored.
"""

from __future__ import annotations

import itertools
import threading
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

SECRET_PARAMS = frozenset({"passkey", "accesskey", "accesscode", "key2"})
MASK = "********"
#: A list answer longer than this is journaled as its first rows and its length: a sandbox
#: that keeps asking for 50,000-row lists must not keep a thousand of them in memory.
KEPT_ROWS = 20


@dataclass(frozen=True)
class Entry:
    id: int
    time: str
    end_point: str
    params: dict[str, Any]
    source: str
    status: int
    response: Any
    duration_ms: float
    ip: str
    warnings: list[str] = field(default_factory=list)
    #: Strict mode's findings (code, parameter, message); none when strict is off.
    findings: list[dict[str, str]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def summary(response: Any) -> Any:
    """What the journal keeps of an answer: all of it, or the head of a long list."""
    if isinstance(response, list) and len(response) > KEPT_ROWS:
        return {"rows": len(response), "first_rows": response[:KEPT_ROWS]}
    return response


def mask(params: Mapping[str, Any], is_secret: Callable[[str], bool]) -> dict[str, Any]:
    """Parameters with secrets masked: by name, and wherever a live secret stands as a name
    or a value (a client's stray ``/`` in a GET path can shift a passkey into a name)."""
    masked: dict[str, Any] = {}
    for name, value in params.items():
        secret = name.lower() in SECRET_PARAMS or (isinstance(value, str) and is_secret(value))
        masked[MASK if is_secret(name) else name] = MASK if secret else value
    return masked


class Journal:
    def __init__(self, size: int) -> None:
        self._entries: deque[Entry] = deque(maxlen=size)
        self._ids = itertools.count(1)
        self._lock = threading.Lock()

    def add(self, **facts: Any) -> Entry:
        with self._lock:
            entry = Entry(id=next(self._ids), **facts)
            self._entries.append(entry)
        return entry

    def entries(self, end_point: str | None = None, since: str | None = None) -> list[Entry]:
        with self._lock:
            found = list(self._entries)
        if end_point:
            found = [e for e in found if e.end_point == end_point]
        if since:
            found = [e for e in found if e.time > since]
        return found

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
