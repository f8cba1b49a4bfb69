"""Errors that reach the wire, each fixing its exact message and its wire body.

Raise these; never return error dicts. The handlers registered once in
``emulator.serving.app.create_app`` render them: an :class:`OpenCRMError` as its
:meth:`~OpenCRMError.body` (``{"error": "<message>"}``; HTTP 200 unless the ``error_status``
setting says otherwise), a :class:`ControlError` as the control plane's
``{"error": "<message>"}`` with its HTTP status.

    OpenCRMError                      any error OpenCRM answers with {"error": ...}
    ├── Unauthorized                  "Unauthorized": no credentials, bad JSON, stale access key
    ├── AuthenticationFailed          "Invalid User Details - AUTHENTICATION FAILED"
    ├── UnknownEndPoint               an end point OpenCRM does not have
    ├── RequestError                  a request the end point cannot answer (bad crmid, ...)
    │   ├── UnknownField              a query_string field the module does not have
    │   ├── RecordNotFound            crmid unknown, deleted, or of another module
    │   ├── InvalidProductLine        a product line failed validation (nothing is written)
    │   └── ReportError               unknown report, bad custom report
    ├── TimeBudgetExceeded            a call past api_time_limit: stopped, nothing written
    ├── Refused                       the emulator's own refusals: rate limit, API disabled, ...
    ├── UnknownSystem                 a Host naming a system this emulator does not have
    ├── CampaignError                 add_to_campaign's errors: a bare JSON string, not an
    │                                 object (guide, "Campaigns [BETA]")
    └── InternalError                 a bug in the emulator: HTTP 500, details in the log
    ControlError                      the control plane's: a clear message, a 4xx status
"""

from __future__ import annotations


class OpenCRMError(Exception):
    """An error OpenCRM reports as ``{"error": message}``."""

    message = "Error"
    #: the HTTP status used when the ``error_status`` setting is "http"; 200 otherwise.
    http_status = 400

    def __init__(self, message: str | None = None) -> None:
        if message is not None:
            self.message = message
        super().__init__(self.message)

    def body(self) -> object:
        """What goes on the wire (before JSON encoding)."""
        return {"error": self.message}

    def status(self, mode: str) -> int:
        """The HTTP status under the ``error_status`` setting ("200" or "http")."""
        return self.http_status if mode == "http" else 200


class Unauthorized(OpenCRMError):
    """Credentials missing, an unknown or expired access key, or a badly formatted request."""

    message = "Unauthorized"
    http_status = 401


class AuthenticationFailed(OpenCRMError):
    """A key and passkey that do not match a configured pair."""

    message = "Invalid User Details - AUTHENTICATION FAILED"
    http_status = 401


class UnknownEndPoint(OpenCRMError):
    http_status = 404

    def __init__(self, end_point: str) -> None:
        super().__init__(f"Unknown end point: {end_point}")


class RequestError(OpenCRMError):
    """A well-authenticated request the end point cannot answer."""


class UnknownField(RequestError):
    def __init__(self, field: str, module: str) -> None:
        super().__init__(f"Unknown field in query_string: {field} (module {module})")


class RecordNotFound(RequestError):
    http_status = 404


class InvalidProductLine(RequestError):
    """A product line failed OpenCRM's documented checks; the edit writes nothing."""


class ReportError(RequestError):
    pass


class TimeBudgetExceeded(OpenCRMError):
    """An API call ran past ``api_time_limit`` in the database: stopped, its transaction
    rolled back."""

    http_status = 503

    def __init__(self, seconds: float) -> None:
        super().__init__(
            f"Request stopped: it took longer than {seconds:g} second{'' if seconds == 1 else 's'};"
            " nothing was changed"
        )


class Refused(OpenCRMError):
    """The emulator refuses a call on purpose: rate limit, API disabled, IP not allowed."""

    http_status = 403


class UnknownSystem(OpenCRMError):
    """The Host header names a system the emulator does not have (a real OpenCRM host
    would not resolve; the emulator says which systems it has instead)."""

    http_status = 404

    def __init__(self, name: str, known: list[str]) -> None:
        have = ", ".join(known)
        super().__init__(f"Unknown system: {name} (this emulator's systems: {have})")


class CampaignError(OpenCRMError):
    """``add_to_campaign`` failed; its message is answered as a bare JSON string."""

    def body(self) -> object:
        return self.message


class InternalError(OpenCRMError):
    """A bug inside the emulator, never a silent wrong answer: a 500 whatever the
    ``error_status`` setting, with the traceback (of ``__cause__``) in the log."""

    message = "Internal emulator error. See the emulator's log."
    http_status = 500

    def status(self, mode: str) -> int:
        return self.http_status


class ControlError(Exception):
    """A control-plane request that cannot be done: ``{"error": message}`` with ``status``."""

    def __init__(self, status: int, message: str) -> None:
        self.status, self.message = status, message
        super().__init__(message)
