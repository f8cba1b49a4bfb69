"""``OpenCRMAPIError``: an OpenCRM call that answered an error, as an exception."""

from __future__ import annotations

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
