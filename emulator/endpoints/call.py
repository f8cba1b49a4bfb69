"""What an end point function gets: the system called, the parameters, who is calling."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from emulator.backend import Backend
from emulator.domain.audit import Actor
from emulator.domain.modules import Module
from emulator.domain.reports import StandardReport
from emulator.settings import Settings
from emulator.systems import System
from emulator.wire import output
from emulator.wire.auth import Caller
from emulator.wire.params import Params

Row = output.Row


@dataclass
class Call:
    system: System
    params: Params
    end_point_module: Module | None
    caller: Caller | None
    ip: str
    headers: Mapping[str, str]
    warnings: list[str] = field(default_factory=list)

    @property
    def backend(self) -> Backend:
        return self.system.backend

    @property
    def settings(self) -> Settings:
        return self.system.settings

    @property
    def module(self) -> Module:
        """The module of a record end point (``get_contact``: Contacts)."""
        assert self.end_point_module is not None, "record end points are routed with a module"
        return self.end_point_module

    @property
    def actor(self) -> Actor:
        return Actor(self.settings.api_user_id, self.ip)

    def warn(self, *found: str) -> None:
        """Journal warnings: what the real API accepts silently but a client should know."""
        self.warnings += found

    def plain_output(self) -> bool:
        """Whether no output option changes the values of an answer (:meth:`output_options`
        would be PLAIN, and cannot fail)."""
        settings = self.settings
        return output.plain(self.params, settings.date_format, settings.datetime_format)

    def output_options(self) -> output.OutputOptions:
        """``dateTimeOverride``, ``dateOverride`` and ``change_assignedidtouser``."""
        settings = self.settings
        return output.options_from(
            self.params,
            settings.date_format,
            settings.datetime_format,
            settings.max_override_chars,
        )

    def presenter(self, module: Module) -> Callable[[Row], Row] | None:
        """The output options for rows of ``module``, or None when there is nothing to do."""
        tz = self.system.clock.tz
        return output.presenter(module, self.output_options(), self.backend.usernames, tz)

    def report_presenter(self, report: StandardReport) -> Callable[[Row], Row] | None:
        tz = self.system.clock.tz
        return output.report_presenter(report, self.output_options(), self.backend.usernames, tz)


def presented(present: Callable[[Row], Row] | None, rows: list[Row]) -> list[Row]:
    return [present(r) for r in rows] if present else rows
