"""What a request must be before its parameters are read: a method OpenCRM takes, and a head
(request line and headers) of bounded size and count. A real server refuses the rest; the
emulator answers each the API's way (``{"error": ...}``, HTTP 200 unless ``error_status`` is
http), before authentication, as it does a body over ``max_body_bytes``.

On a real socket the emulator's uvicorn protocol (emulator/serving/protocol.py) also stops
reading a head larger than ``max_header_bytes`` before it is whole, so that a 100 MB header
never reaches memory; this check gives the same answer in-process, and counts the headers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from itertools import chain
from typing import Any

from emulator.errors import OpenCRMError

#: The methods of OpenCRM's end points (HEAD is answered as GET, as any server does).
METHODS = frozenset({"GET", "POST", "HEAD"})


class MethodNotAllowed(OpenCRMError):
    http_status = 405

    def __init__(self, method: str) -> None:
        super().__init__(f"Method {method[:20]} not allowed: use GET or POST")


class HeadersTooLarge(OpenCRMError):
    http_status = 431

    def __init__(self, limit: int) -> None:
        super().__init__(f"Request headers larger than {limit} bytes")


class TooManyHeaders(OpenCRMError):
    http_status = 431

    def __init__(self, limit: int) -> None:
        super().__init__(f"Too many request headers: more than {limit}")


def head_size(scope: Mapping[str, Any]) -> int:
    """The bytes of a request's head as sent: request line and header lines."""
    line = len(scope.get("method", "")) + len(scope.get("raw_path") or b"")
    line += len(scope.get("query_string", b"")) + 12  # " ?" and " HTTP/1.1\r\n"
    headers: Sequence[tuple[bytes, bytes]] = scope.get("headers", ())
    return line + len(b"".join(chain.from_iterable(headers))) + 4 * len(headers)  # ": ", CRLF


def head_problem(scope: Mapping[str, Any], max_bytes: int, max_count: int) -> OpenCRMError | None:
    """The error of a head over the limits, or None."""
    if len(scope.get("headers", ())) > max_count:
        return TooManyHeaders(max_count)
    if head_size(scope) > max_bytes:
        return HeadersTooLarge(max_bytes)
    return None


def check_request(scope: Mapping[str, Any], max_bytes: int, max_count: int) -> None:
    """Raise the API error of a method OpenCRM does not take, or of a head over the limits."""
    problem = head_problem(scope, max_bytes, max_count)
    if problem is not None:
        raise problem
    method = str(scope.get("method", "GET"))
    if method not in METHODS:
        raise MethodNotAllowed(method)
