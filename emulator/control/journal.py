"""The emulator's record of every API call, for tests and users to inspect.

OpenCRM records every REST call in its own database (guide, "Request Recording"); the
emulator keeps the same facts in memory, bounded to ``journal_size`` entries and about
``journal_bytes`` bytes, each entry a bounded copy with big values cut (a marker says so).
Secrets never enter it: passkeys, access keys and the login answer are masked before an
entry is stored, as names, as values and inside any text kept.
"""

from __future__ import annotations

import itertools
import threading
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, Protocol

import orjson

from emulator.control.pending import ENTRY_COST as ENTRY_COST
from emulator.control.pending import SECRET_PARAMS, Pending, pending
from emulator.control.pending import mask as mask
from emulator.control.secrets import MASK as MASK
from emulator.control.secrets import Redactor
from emulator.control.trimming import Trimmer, unchanged

#: An entry may take at most this share of the journal's bytes.
ENTRY_SHARE = 64
#: How far a bounded copy may pass its budget: the markers and slots after the last check.
OVERSHOOT = 1024


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


def sent_secrets(params: Mapping[str, Any], headers: Mapping[str, str]) -> list[str]:
    """The secrets a call sent itself: its passkey and access key values, and KEY2."""
    sent = [v for n, v in params.items() if n.lower() in SECRET_PARAMS and isinstance(v, str)]
    return [*sent, headers.get("key2", "")]


class JournalBook(Protocol):
    """Where entries are kept when several processes share one journal (the store's)."""

    def add_entry(self, entry: str, cost: int, size: int, max_bytes: int) -> int: ...
    def entries(self, size: int, max_bytes: int) -> list[tuple[int, str]]: ...
    def clear_journal(self) -> None: ...


class Journal:
    """The last ``size`` calls within about ``max_bytes`` (oldest out first); each entry a
    bounded copy (emulator/control/trimming.py) of at most ``max_bytes / 64``, its texts of
    at most ``text_chars``."""

    def __init__(
        self,
        size: int,
        max_bytes: int = 32 * 2**20,
        text_chars: int = 8192,
        book: JournalBook | None = None,
    ) -> None:
        """``book``: where the entries are kept for every process (none kept here then)."""
        self.book = book
        self.size = size
        self.max_bytes = max_bytes
        self.text_chars = text_chars
        self.bytes = 0
        #: (entry, cost): an Entry, or a call's facts held until first read (pending.py)
        self._entries: deque[tuple[Entry | Pending, int]] = deque()
        self._ids = itertools.count(1)
        self._lock = threading.Lock()

    @property
    def budget(self) -> int:
        """The most an entry's values may cost."""
        return self.max_bytes // ENTRY_SHARE - ENTRY_COST - OVERSHOOT

    def add_call(
        self,
        params: Mapping[str, Any],
        response: Any,
        body: bytes | None,
        warnings: list[str],
        redact: Redactor,
        is_secret: Callable[[str], bool],
        *,
        end_point: str,
        time: str,
        source: str,
        status: int,
        duration_ms: float,
        ip: str,
        findings: list[dict[str, str]],
    ) -> None:
        """An API call's entry: its parameters and ``body``, the answer encoded, held as
        they are until read (emulator/control/pending.py) when that is safe, else
        :meth:`add`'s copy of ``response`` made at once. The facts are named parameters,
        not ``**facts``: CPython matches a keyword that lands in ``**`` against every named
        parameter by string comparison, 7 k instructions a call for these seven (callgrind)."""
        facts = {"time": time, "source": source, "status": status,
                 "duration_ms": duration_ms, "ip": ip, "findings": findings}  # fmt: skip
        held = None
        if body is not None and self.book is None:
            held = pending(end_point, params, body, warnings, redact, self.budget // 4, facts)
        if held is None:
            if type(response) is orjson.Fragment and body is not None:  # text already encoded
                response = orjson.loads(body)
            params = mask(params, is_secret)
            self.add(params, response, warnings, redact, end_point=end_point, **facts)
            return
        with self._lock:
            held.number = next(self._ids)
            self.keep(held, held.cost)

    def keep(self, entry: Entry | Pending, cost: int) -> None:
        """Called with the lock held."""
        self._entries.append((entry, cost))
        self.bytes += cost
        self.trim()

    def trim(self) -> None:
        """The oldest entries out until the rest fit. Called with the lock held."""
        while self._entries and (len(self._entries) > self.size or self.bytes > self.max_bytes):
            self.bytes -= self._entries.popleft()[1]

    def add(
        self,
        params: Mapping[str, Any],
        response: Any,
        warnings: Sequence[str],
        redact: Callable[[str], str] = unchanged,
        **facts: Any,
    ) -> Entry:
        end_point = Trimmer(100, 1000, redact).text(facts.pop("end_point", ""))
        budget = self.budget
        clean = redact.clean if isinstance(redact, Redactor) else None  # one search for a record
        trim = Trimmer(self.text_chars, budget, redact, clean)
        kept = trim.value(dict(params)), trim.value(response), trim.texts(warnings)
        cost = ENTRY_COST + trim.used
        if self.book is not None:
            return self.add_shared(end_point, kept, cost, facts)
        with self._lock:
            entry = Entry(next(self._ids), end_point=end_point, params=kept[0],
                          response=kept[1], warnings=kept[2], **facts)  # fmt: skip
            self.keep(entry, cost)
        return entry

    def add_shared(
        self, end_point: str, kept: tuple[Any, Any, Any], cost: int, facts: dict[str, Any]
    ) -> Entry:
        assert self.book is not None
        values = {"end_point": end_point, "params": kept[0], "response": kept[1]}
        values.update(warnings=kept[2], **facts)
        text = orjson.dumps(values, option=orjson.OPT_NON_STR_KEYS).decode()
        return Entry(self.book.add_entry(text, cost, self.size, self.max_bytes), **values)

    def stored(self) -> list[Entry]:
        """Every entry kept, oldest first."""
        if self.book is not None:
            found = self.book.entries(self.size, self.max_bytes)
            return [Entry(number, **orjson.loads(text)) for number, text in found]
        with self._lock:
            if any(type(entry) is Pending for entry, _ in self._entries):
                self.make_pending()
            return [entry for entry, _ in self._entries]  # type: ignore[misc]

    def make_pending(self) -> None:
        """Every entry still held as its call's facts made (each once), at its real cost.
        Called with the lock held."""
        made: deque[tuple[Entry | Pending, int]] = deque()
        for entry, cost in self._entries:
            if type(entry) is Pending:
                entry, real = entry.entry(Entry, self.text_chars, self.budget)
                self.bytes += real - cost
                cost = real
            made.append((entry, cost))
        self._entries = made
        self.trim()

    def entries(self, end_point: str | None = None, since: str | None = None) -> list[Entry]:
        found = self.stored()
        if end_point:
            found = [e for e in found if e.end_point == end_point]
        if since:
            found = [e for e in found if e.time > since]
        return found

    def clear(self) -> None:
        if self.book is not None:
            self.book.clear_journal()
        with self._lock:
            self._entries.clear()
            self.bytes = 0
