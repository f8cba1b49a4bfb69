"""Secrets masked inside text: wherever a passkey or an access key appears in a message, a
warning, a journaled value or a log line, not only where it is a parameter's whole value.

A :class:`Redactor` is made per call: it masks the system's secrets (configured passkeys,
live access keys: the keyring's) and the secrets that call sent itself (a wrong passkey may
be someone's real one), replacing each with :data:`~emulator.control.journal.MASK`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

MASK = "********"
#: A sent secret shorter than this is not looked for inside text ("1" would mask every 1).
SHORTEST = 6


class Redactor:
    def __init__(self, secrets_in: Callable[[str], set[str]], sent: Iterable[str] = ()) -> None:
        self.secrets_in = secrets_in
        self.sent = frozenset(s for s in sent if len(s) >= SHORTEST)

    def with_sent(self, sent: Iterable[str]) -> Redactor:
        """The same, also masking ``sent`` (a call's own passkey and access key values)."""
        return Redactor(self.secrets_in, [*self.sent, *sent])

    def clean(self, texts: Iterable[str]) -> bool:
        """Whether none of ``texts`` holds a secret :meth:`__call__` would mask: one search
        over all of them, joined by a character no secret found in text can span (a NUL:
        not a hex digit, and a passkey or sent secret across it is only a false alarm)."""
        joined = "\x00".join(texts)
        return not self.secrets_in(joined) and not any(s in joined for s in self.sent)

    def __call__(self, text: str) -> str:
        found = self.secrets_in(text)
        if self.sent:
            found = found | {s for s in self.sent if s in text}
        if not found:  # the common case: nothing to mask, the text as it is
            return text
        for secret in sorted(found, key=len, reverse=True):
            text = text.replace(secret, MASK)
        return text

    def value(self, value: Any) -> Any:
        """``value`` with every text in it redacted (an answer's body: dicts, lists, texts)."""
        if isinstance(value, str):
            return self(value)
        if isinstance(value, dict):
            return {self.value(k): self.value(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.value(v) for v in value]
        return value
