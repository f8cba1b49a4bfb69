"""What the journal keeps of a value: a copy within a budget of bytes, cut with markers.

A call's parameters and answer can be huge (a 4 MB parameter, a quote of 100,000 lines), and
the journal keeps a thousand calls: it keeps a bounded copy instead, each piece cut where
needed with a marker that says so and how much there was:

- a text longer than ``text_chars`` (or than half of what is left of the entry's budget):
  its head, then ``... [N characters, cut by the journal]``;
- a list longer than :data:`KEPT_ROWS`, at any depth: ``{"rows": N, "first_rows": [...]}``;
- once the entry's budget is spent, the rest of a list or object: one marker naming how many
  items or keys are left out (``"..."`` as the key in an object).

Sizes are estimates of what Python holds (a text's length plus its object's overhead), the
measure the journal's ``journal_bytes`` budget is counted in. A ``redact`` function, given,
masks secrets in every text kept (it sees the kept head, so it never scans 4 MB).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from typing import Any

#: A list longer than this is kept as its first rows and its length.
KEPT_ROWS = 20
#: About what Python spends on a text, a number and a container slot besides their contents.
TEXT_COST, SCALAR_COST, SLOT_COST = 50, 32, 16
#: A redactor sees this many characters past a cut, so a secret across the cut is still found.
MARGIN = 64
#: An object of at most this many keys, all of them and their values short texts (a record,
#: a product line), is copied whole when it holds no secret (:meth:`Trimmer.flat`).
FLAT_KEYS = 1000


def unchanged(text: str) -> str:
    return text


def always_clean(texts: Iterable[str]) -> bool:
    """Nothing is masked: every text is as good as clean."""
    return True


def never_clean(texts: Iterable[str]) -> bool:
    """Without a way to tell, every text is redacted on its own."""
    return False


class Trimmer:
    """Bounded copies of values: at most ``budget`` bytes each, texts of ``text_chars``.
    ``redact`` masks secrets in a text; ``clean``, given texts, says that none holds one."""

    def __init__(
        self,
        text_chars: int,
        budget: int,
        redact: Callable[[str], str] = unchanged,
        clean: Callable[[Iterable[str]], bool] | None = None,
    ) -> None:
        self.text_chars = text_chars
        self.budget = budget
        self.left = budget
        self.redact = redact
        self.clean = clean or (always_clean if redact is unchanged else never_clean)

    @property
    def used(self) -> int:
        return self.budget - self.left

    def value(self, value: Any) -> Any:
        """What :meth:`copy` gives, made at once when nothing in ``value`` would be cut and
        it holds no secret (the common case: a record, a quote and its lines): its cost
        is then at most half of what is left, so each text is shorter than the room
        :meth:`text` would leave it, and every check of the budget passes."""
        if type(value) is dict:  # a record: its keys and values texts, copied in few passes
            flat = self.flat(value)
            if flat is not None:
                return flat
        texts: list[str] = []
        cost = whole_cost(value, texts, self.text_chars)
        if cost is None or cost > self.left // 2 or not self.clean(texts):
            return self.copy(value)
        self.left -= cost
        return plain_copy(value)

    def copy(self, value: Any) -> Any:
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, Mapping):
            return self.mapping(value)
        if isinstance(value, list | tuple):
            return self.sequence(value)
        self.left -= SCALAR_COST
        return value

    def text(self, text: str) -> str:
        keep = max(0, min(self.text_chars, (self.left - TEXT_COST) // 2))  # room for the rest
        if len(text) <= keep:
            kept = self.redact(text)
        else:
            head = self.redact(text[: keep + MARGIN])[:keep]
            kept = f"{head}... [{len(text)} characters, cut by the journal]"
        self.left -= TEXT_COST + len(kept)
        return kept

    def mapping(self, value: Mapping[Any, Any]) -> dict[Any, Any]:
        flat = self.flat(value)
        if flat is not None:
            return flat
        kept: dict[Any, Any] = {}
        self.left -= SCALAR_COST
        for done, (key, item) in enumerate(value.items()):
            if self.left <= 0:
                kept["..."] = f"[{len(value) - done} more keys, cut by the journal]"
                break
            name = self.text(key) if isinstance(key, str) else key
            kept[name] = self.copy(item)
            self.left -= SLOT_COST
        return kept

    def flat(self, value: Mapping[Any, Any]) -> dict[Any, Any] | None:
        """The copy :meth:`mapping` would make of an object of texts (and numbers: a list's
        row has its id) that fits whole, with no secret in it, made in a few passes at C
        speed: a plain copy. None for any other (and then the piece-by-piece copy). Nothing
        is cut, as the cost is at most half of what is left, so each text is shorter than
        the room :meth:`text` would leave it."""
        if len(value) > FLAT_KEYS or not isinstance(value, dict):
            return None
        texts: list[str] = []
        cost = flat_cost(value, self.text_chars, texts)
        if cost is None or cost > self.left // 2 or not self.clean(texts):
            return None
        self.left -= cost
        return dict(value)

    def texts(self, items: Sequence[str], most: int = 100) -> list[str]:
        """A list of texts (warnings): at most ``most`` of them, then one marker."""
        kept: list[str] = []
        for done, item in enumerate(items):
            if self.left <= 0 or done == most:
                kept.append(f"... [{len(items) - done} more, cut by the journal]")
                break
            kept.append(self.text(item))
            self.left -= SLOT_COST
        return kept

    def sequence(self, items: Sequence[Any]) -> Any:
        if len(items) > KEPT_ROWS:
            return {"rows": len(items), "first_rows": self.sequence(items[:KEPT_ROWS])}
        kept: list[Any] = []
        self.left -= SCALAR_COST
        for done, item in enumerate(items):
            if self.left <= 0:
                kept.append(f"... [{len(items) - done} more, cut by the journal]")
                break
            kept.append(self.copy(item))
            self.left -= SLOT_COST
        return kept


SCALARS = frozenset({int, float, bool, type(None)})
CONTAINERS = frozenset({dict, list, tuple})
#: Values nested deeper than this take the piece-by-piece copy (a JSON body can nest 1,024).
DEEPEST = 16


def texts_cost(texts: Collection[Any], most: int, found: list[str] | None = None) -> int | None:
    """What texts kept whole cost; None unless all are texts of at most ``most`` characters.
    One join at C speed checks them all; it is added to ``found``, for the secrets search
    (a secret in one of the texts is in it; one across two of them is only a false alarm)."""
    try:
        joined = "".join(texts)
    except TypeError:  # not all texts
        return None
    if len(joined) > most and max(map(len, texts)) > most:
        return None
    if found is not None:
        found.append(joined)
    return len(texts) * TEXT_COST + len(joined)


def flat_cost(value: dict[Any, Any], most: int, texts: list[str]) -> int | None:
    """What :meth:`Trimmer.mapping` spends on a dict of texts and numbers that it copies
    whole (its texts joined into ``texts``); None for any other."""
    keys = texts_cost(value.keys(), most, texts)
    if keys is None:
        return None
    values: Collection[Any] = value.values()
    found = texts_cost(values, most, texts)
    scalars = 0
    if found is None:  # not all texts: numbers too?
        values = [v for v in values if type(v) is str]
        scalars = sum(1 for v in value.values() if type(v) in SCALARS)
        found = texts_cost(values, most, texts)
        if found is None or scalars + len(values) < len(value):
            return None
    return keys + found + SCALAR_COST + len(value) * SLOT_COST + scalars * SCALAR_COST


def whole_cost(value: Any, texts: list[str], most: int, depth: int = 0) -> int | None:
    """What :meth:`Trimmer.copy` spends on ``value`` when it cuts nothing (its texts added to
    ``texts``); None when a text is over ``most``, a list over :data:`KEPT_ROWS`, a value
    of another kind than texts, numbers, plain dicts with text keys and lists, or one nested
    deeper than :data:`DEEPEST`."""
    kind = type(value)
    if kind is str:
        texts.append(value)
        return None if len(value) > most else TEXT_COST + len(value)
    if kind in SCALARS:
        return SCALAR_COST
    if kind is dict:
        cost = texts_cost(value.keys(), most, texts)
        items: Collection[Any] = value.values()
    elif kind is list or kind is tuple:
        cost, items = (0 if len(value) <= KEPT_ROWS else None), value
    else:
        return None
    if cost is None or depth == DEEPEST:
        return None
    return nested_cost(cost + SCALAR_COST + len(items) * SLOT_COST, items, texts, most, depth)


def nested_cost(
    cost: int, items: Collection[Any], texts: list[str], most: int, depth: int
) -> int | None:
    flat = texts_cost(items, most, texts)
    if flat is not None:  # all texts: at C speed
        return cost + flat
    flat = texts_cost([item for item in items if type(item) is str], most, texts)
    if flat is None:
        return None
    cost += flat  # the texts together, then the rest one by one
    for item in items:
        if type(item) is not str:
            found = whole_cost(item, texts, most, depth + 1)
            if found is None:
                return None
            cost += found
    return cost


def plain_copy(value: Any) -> Any:
    """A copy of a value :func:`whole_cost` measured: dicts and lists new, the rest shared."""
    kind = type(value)
    if kind is dict:
        copy = dict(value)
        if CONTAINERS.isdisjoint(map(type, copy.values())):  # a record, a line: at C speed
            return copy
        for key, item in copy.items():
            if type(item) in CONTAINERS:  # the rest is shared
                copy[key] = plain_copy(item)
        return copy
    if kind is list or kind is tuple:
        return [plain_copy(v) for v in value]
    return value
