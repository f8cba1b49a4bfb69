"""Settings declared once: type, default, meaning, allowed values and the commands taking it.

A field of :class:`emulator.settings.Settings` declared with :func:`setting` is a setting under
every name at once, all derived here: the flag ``--<name-with-dashes>`` of each command in
its ``commands``, the environment variable ``OPENCRM_EMULATOR_<NAME>``, the TOML key
``<name>``, a line of each command's ``--help``, a row of README's settings table, and the
checks of its allowed values. Its type comes from the annotation; a ``Literal[...]`` type
gives its choices.
"""

from __future__ import annotations

import dataclasses
import math
import typing
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

T = TypeVar("T")

ENV_PREFIX = "OPENCRM_EMULATOR_"
COMMANDS = ("serve", "seed", "routes")
SERVE = ("serve",)
#: Settings that shape the data: ``seed`` (which fills a database for ``serve``) takes them too.
DATA = ("serve", "seed")
EVERY = COMMANDS
TRUE, FALSE = frozenset({"1", "true", "yes", "on"}), frozenset({"0", "false", "no", "off"})


@dataclass(frozen=True)
class Spec:
    """What :func:`setting` records in a field's metadata (all but the name, type, default)."""

    meaning: str
    group: str
    commands: tuple[str, ...]
    choices: tuple[str, ...] = ()
    at_least: float | None = None
    more_than: float | None = None
    at_most: float | None = None
    metavar: str = ""
    unset: str = ""


def setting(
    default: T,
    meaning: str,
    group: str,
    commands: tuple[str, ...] = SERVE,
    *,
    choices: Sequence[str] = (),
    at_least: float | None = None,
    more_than: float | None = None,
    at_most: float | None = None,
    metavar: str = "",
    unset: str = "",
) -> T:
    """A dataclass field declaring a setting.

    ``meaning``: one sentence for ``--help`` and README. ``group``: the heading it is listed
    under. ``commands``: the commands that take it as a flag (environment and config file
    reach every command). ``choices`` (or a ``Literal`` type), ``at_least``, ``more_than``,
    ``at_most``: the values allowed. ``metavar``: the flag's value in ``--help``. ``unset``:
    what an empty default means ("the shipped fixtures").
    """
    spec = Spec(
        meaning, group, commands, tuple(choices), at_least, more_than, at_most, metavar, unset
    )
    return dataclasses.field(default=default, metadata={"setting": spec})


@dataclass(frozen=True)
class Declaration:
    """One setting: its name, type and default, and its :class:`Spec`."""

    name: str
    kind: type
    default: Any
    spec: Spec

    @property
    def flag(self) -> str:
        return "--" + self.name.replace("_", "-")

    @property
    def env(self) -> str:
        return ENV_PREFIX + self.name.upper()

    @property
    def toml_key(self) -> str:
        return self.name

    @property
    def choices(self) -> tuple[str, ...]:
        return self.spec.choices

    def metavar(self) -> str:
        if self.choices:
            return "{" + ",".join(self.choices) + "}"
        if self.spec.metavar:
            return self.spec.metavar
        names = {int: "N", float: "NUMBER", bool: "{true,false}"}
        return names.get(self.kind, "TEXT")

    def shown_default(self) -> str:
        if self.default == "" and self.spec.unset:
            return self.spec.unset
        if isinstance(self.default, bool):
            return "true" if self.default else "false"
        if isinstance(self.default, float) and self.default.is_integer():
            return str(int(self.default))
        return str(self.default) if self.default != "" else '""'

    def allowed(self) -> str:
        """The values allowed, in words ("" when any value of its type is)."""
        if self.choices:
            return "one of " + ", ".join(self.choices)
        s = self.spec
        low = f"more than {number(s.more_than)}" if s.more_than is not None else ""
        if s.at_least is not None:
            low = f"{number(s.at_least)} or more"
        if s.at_most is None:
            return low
        if s.at_least is not None:
            return f"{number(s.at_least)} to {number(s.at_most)}"
        return f"{low}, at most {number(s.at_most)}" if low else f"at most {number(s.at_most)}"

    def coerce(self, raw: Any) -> Any:
        """``raw`` (a string from a flag or the environment, or a TOML value) as its type."""
        if self.choices:  # read in any case: logging and uvicorn spell levels differently
            text = str(raw)
            return next((c for c in self.choices if c.lower() == text.lower()), text)
        if self.kind is bool:
            return boolean(self.name, raw)
        if self.kind in (int, float):
            try:
                return self.kind(raw)
            except (TypeError, ValueError):
                raise ValueError(f"setting {self.name} must be a number, not {raw!r}") from None
        return str(raw)

    def problem(self, value: Any) -> str | None:
        """Why ``value`` is not allowed, or None."""
        if self.choices and value not in self.choices:
            if len(self.choices) == 2:
                return f"{self.name} must be {self.choices[0]!r} or {self.choices[1]!r}"
            return f"{self.name} must be one of {', '.join(self.choices)}"
        if self.kind in (int, float) and not self.in_range(value):
            return self.range_problem()
        return None

    def in_range(self, value: float) -> bool:
        s = self.spec
        return not (
            math.isnan(value)
            or (s.at_least is not None and value < s.at_least)
            or (s.more_than is not None and value <= s.more_than)
            or (s.at_most is not None and value > s.at_most)
        )

    def range_problem(self) -> str:
        s = self.spec
        if s.at_least is not None and s.at_most is not None:
            return f"{self.name} must be between {number(s.at_least)} and {number(s.at_most)}"
        if s.at_least == 0:
            return f"{self.name} must not be negative"
        return f"{self.name} must be {self.allowed()}"


def number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def boolean(name: str, raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower()
    if text not in TRUE | FALSE:
        raise ValueError(f"setting {name} must be true or false, not {raw!r}")
    return text in TRUE


def declarations(cls: type, undeclared: Sequence[str] = ()) -> tuple[Declaration, ...]:
    """The settings declared on the dataclass ``cls``, in field order. Every field must be
    declared with :func:`setting`, except those named in ``undeclared``."""
    hints = typing.get_type_hints(cls)
    found = []
    for f in dataclasses.fields(cls):
        spec = f.metadata.get("setting")
        if spec is None:
            if f.name not in undeclared:
                raise TypeError(f"{cls.__name__}.{f.name} is not declared with setting()")
            continue
        kind, choices = hints[f.name], spec.choices
        if typing.get_origin(kind) is typing.Literal:
            kind, choices = str, tuple(str(a) for a in typing.get_args(kind))
        found.append(
            Declaration(f.name, kind, f.default, dataclasses.replace(spec, choices=choices))
        )
    return tuple(found)
