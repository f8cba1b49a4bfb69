"""A journal entry as a call left it: its facts held as they are, copied when read.

Copying a call's parameters and answer into the journal (a bounded copy, secrets masked:
emulator/control/trimming.py) was a sixth of a get_contact's time, and most entries are
never read. So the dispatcher hands the journal the answer's encoded body and the call's
parameters; :func:`pending` checks them for secrets at once (one search of the texts:
what can be masked is known then, while the access keys that were live are still live)
and keeps them as they are, and :meth:`Pending.entry` makes the very copy the journal
would have made, when the entry is first read. A call that needs more (a secret in it, a
large body, structured parameters, a journal shared through the database) is copied at once.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import orjson

from emulator.control.secrets import MASK, Redactor
from emulator.control.trimming import TEXT_COST, Trimmer

SECRET_PARAMS = frozenset({"passkey", "accesskey", "accesscode", "key2"})
#: What an entry costs besides its values (its fields, time, ip ...).
ENTRY_COST = 400


def mask(params: Mapping[str, Any], is_secret: Callable[[str], bool]) -> dict[str, Any]:
    """Parameters with secrets masked: by name, and wherever a live secret stands as a name
    or a value (a client's stray ``/`` in a GET path can shift a passkey into a name)."""
    masked: dict[str, Any] = {}
    for name, value in params.items():
        secret = name.lower() in SECRET_PARAMS or (isinstance(value, str) and is_secret(value))
        masked[MASK if is_secret(name) else name] = MASK if secret else value
    return masked


def never(_text: str) -> bool:
    """Nothing is a live secret (an entry found clean when its call was made)."""
    return False


@dataclass(slots=True)
class Pending:
    """What :class:`~emulator.control.journal.Entry` is made of, held uncopied; its number
    given as the journal keeps it."""

    end_point: str
    params: Mapping[str, str]
    body: bytes
    facts: dict[str, Any]
    warnings: list[str]
    #: About what holding it takes: its texts, its body and the rest.
    cost: int
    number: int = 0

    def entry(self, make: Callable[..., Any], text_chars: int, budget: int) -> tuple[Any, int]:
        """The entry ``make`` (the Entry class) builds, as an eager copy would have made
        it, and what it costs. Nothing in it needs masking (:func:`pending` made sure) but
        the secrets sent by name, which are masked by name."""
        end_point = Trimmer(100, 1000).text(self.end_point)
        trim = Trimmer(text_chars, budget)
        params = mask(self.params, never)  # the rest was clean when the call was made
        kept = trim.value(params), trim.value(orjson.loads(self.body)), trim.texts(self.warnings)
        entry = make(self.number, end_point=end_point, params=kept[0], response=kept[1],
                     warnings=kept[2], **self.facts)  # fmt: skip
        return entry, ENTRY_COST + trim.used


def pending(
    end_point: str,
    params: Mapping[str, Any],
    body: bytes,
    warnings: list[str],
    redact: Redactor,
    most: int,
    facts: dict[str, Any],
) -> Pending | None:
    """The call's entry held uncopied, or None when it must be copied at once: a body over
    ``most`` bytes, a parameter that is not a text, or a secret anywhere but in the
    parameters that carry one by name (masked by name when the entry is made)."""
    if len(body) > most or len(end_point) > 100:
        return None
    texts = [end_point, *warnings]
    for name, value in params.items():
        if type(value) is not str:
            return None
        texts.append(name)
        if name.lower() not in SECRET_PARAMS:
            texts.append(value)
    held = sum(map(len, texts))
    if held > most:
        return None
    try:
        texts.append(body.decode())
    except UnicodeDecodeError:
        return None
    if not redact.clean(texts):
        return None
    cost = ENTRY_COST + held + len(body) + TEXT_COST * (len(texts) + len(params))
    return Pending(end_point, params, body, facts, warnings, cost)
