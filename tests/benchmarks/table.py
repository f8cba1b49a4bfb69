"""Figures and the one table they are printed in.

A figure holds every run's value for the emulator (and for its reference, when it has one);
the table shows their medians, the ratio emulator / reference, the target and pass/fail.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Target:
    """``ratio >= 0.5``, ``ratio <= 1.5`` or ``value <= 1.0`` (value in the figure's unit);
    ``info``: measured, not judged."""

    of: str  # "ratio" or "value"
    op: str  # ">=" or "<="
    limit: float

    def met(self, value: float) -> bool:
        return value >= self.limit if self.op == ">=" else value <= self.limit

    def __str__(self) -> str:
        if self.of == "info":
            return "-"
        return f"{self.of} {self.op} {self.limit:g}"


@dataclass
class Figure:
    name: str
    unit: str
    target: Target
    emulator: list[float] = field(default_factory=list)
    reference: list[float] = field(default_factory=list)
    #: Why there is no value ("n/a (seeding unavailable)", "error: ...").
    missing: str = ""
    note: str = ""

    @property
    def emulator_median(self) -> float | None:
        return statistics.median(self.emulator) if self.emulator and not self.missing else None

    @property
    def reference_median(self) -> float | None:
        return statistics.median(self.reference) if self.reference else None

    @property
    def ratio(self) -> float | None:
        emulator, reference = self.emulator_median, self.reference_median
        return emulator / reference if emulator is not None and reference else None

    def verdict(self, judged: bool) -> str:
        judged_value = self.ratio if self.target.of == "ratio" else self.emulator_median
        if self.missing:
            return "fail" if self.missing.startswith("error") else "n/a"
        if not judged or judged_value is None or self.target.of == "info":
            return "-"
        return "pass" if self.target.met(judged_value) else "FAIL"


HEADERS = ("figure", "emulator", "reference", "ratio", "target", "result")


def number(value: float | None, unit: str) -> str:
    if value is None:
        return "-"
    digits = 0 if abs(value) >= 100 else 1 if abs(value) >= 10 else 2 if abs(value) >= 1 else 3
    return f"{value:,.{digits}f} {unit}".strip()


def cells(figure: Figure, judged: bool) -> tuple[str, ...]:
    emulator = figure.missing or number(figure.emulator_median, figure.unit)
    ratio = "-" if figure.ratio is None else f"{figure.ratio:.2f}"
    return (
        figure.name,
        emulator,
        number(figure.reference_median, figure.unit),
        ratio,
        str(figure.target),
        figure.verdict(judged),
    )


def render(figures: list[Figure], judged: bool) -> str:
    """A Markdown table (pastes into the README as it is)."""
    rows = [HEADERS, *(cells(f, judged) for f in figures)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(HEADERS))]
    lines = [
        "| " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) + " |"
        for row in rows
    ]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    notes = [f"- {f.name}: {f.note}" for f in figures if f.note]
    return "\n".join(lines + (["", *notes] if notes else []))
