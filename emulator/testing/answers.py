"""``OpenCRMAPIError``: an OpenCRM call that answered an error, as an exception; ``Finding``:
one of strict mode's findings, as ``opencrm.warnings()`` lists them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

CAMPAIGN_SUCCESS = "Success"


class OpenCRMAPIError(Exception):
    """The answer was ``{"error": message}`` (or, from ``add_to_campaign``, a message other
    than "Success"): ``.end_point``, ``.message``, the decoded ``.answer`` and its HTTP
    ``.status``."""

    def __init__(self, end_point: str, message: str, answer: Any, status: int) -> None:
        self.end_point, self.message, self.answer, self.status = end_point, message, answer, status
        super().__init__(f"{end_point}: {message}")


def error_message(end_point: str, answer: Any) -> str | None:
    """The error an answer carries, if it is one."""
    if isinstance(answer, dict) and list(answer) == ["error"]:
        return str(answer["error"])
    campaign = end_point.split("/")[0] == "add_to_campaign"
    if campaign and isinstance(answer, str) and answer != CAMPAIGN_SUCCESS:
        return answer  # this end point answers a bare message string (guide, "Campaigns")
    return None


def checked(end_point: str, answer: Any, status: int) -> Any:
    """The answer, unless it is an error: then ``OpenCRMAPIError``."""
    message = error_message(end_point, answer)
    if message is not None:
        raise OpenCRMAPIError(end_point, message, answer, status)
    return answer


@dataclass(frozen=True)
class Finding:
    """A strict-mode finding in one call: the journal entry, the end point, the finding's
    ``code``, the ``parameter`` it is about and its ``message``."""

    call: int
    end_point: str
    code: str
    parameter: str
    message: str

    def __str__(self) -> str:
        return f"#{self.call} {self.end_point}: {self.message} [{self.code}]"
