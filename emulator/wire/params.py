"""One read-only mapping of a call's parameters, whatever the transport.

OpenCRM's guide shows parameters arriving five ways, and PHP's curl adds a sixth; all of
them give the same :class:`Params`. Sources, lowest precedence first (PHP's ``$_REQUEST``:
POST over GET, observed-behaviour.md "Transport and parameters"):

1. path segments after the end point, as key/value pairs:
   ``/get_contact_list/key/K/passkey/P/keywords/bob one two``. They are split on the raw
   path, so a percent-encoded ``%2F`` stays inside its value;
2. the URL query string;
3. the body, whose format is recognised by content, not only by Content-Type, because PHP's
   curl sends string payloads as ``application/x-www-form-urlencoded`` whatever they hold:
   - ``multipart/form-data`` (curl given a PHP array): its text fields;
   - a body that starts with ``{`` or ``[`` (after white space), or any body sent as
     ``application/json``, is JSON and must be an object;
   - anything else is a urlencoded payload, whatever the Content-Type says.

   Invalid JSON, JSON that is not an object, and invalid multipart are badly formatted
   requests: ``Unauthorized`` (guide, "Error Messages"). A body over ``max_body_bytes`` is
   refused with :class:`BodyTooLarge` before it is parsed.

JSON scalars become strings as PHP would cast them (``true`` -> ``"1"``, ``false`` and
``null`` -> ``""``); arrays and objects (e.g. ``products``) stay structured. Within one
source a repeated name keeps its last value, as PHP does.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, ItemsView, Iterator, KeysView, Mapping, ValuesView
from typing import Any
from urllib.parse import parse_qsl, unquote_to_bytes

import anyio.to_thread
import orjson
from starlette.formparsers import MultiPartException, MultiPartParser
from starlette.requests import Request

from emulator.domain.quoting import shown
from emulator.errors import OpenCRMError, RequestError, Unauthorized

#: The largest id the store can hold (a signed 64-bit integer, as SQLite and MySQL BIGINT).
MAX_ID = 2**63 - 1
TRUE_WORDS = frozenset({"true", "1", "yes", "on"})
API_PREFIX = "/api/rest/"
API_PREFIX_BYTES = API_PREFIX.encode()
#: A body larger than this is parsed in a worker thread, not on the event loop.
THREAD_BYTES = 64 * 1024


class BodyTooLarge(OpenCRMError):
    http_status = 413

    def __init__(self, limit: int) -> None:
        super().__init__(f"Request body larger than {limit} bytes")


class RequestIncomplete(OpenCRMError):
    """The connection closed before the body was whole (the client went, or was too slow:
    ``request_timeout``). Nobody hears the answer; the journal does."""

    http_status = 408

    def __init__(self) -> None:
        super().__init__("Request not complete: the connection closed before its body arrived")


class Params(Mapping[str, Any]):
    """The merged parameters, plus which source formats they came from."""

    __slots__ = ("_data", "source")

    def __init__(self, data: dict[str, Any], source: str) -> None:
        self._data = data
        self.source = source

    def __getitem__(self, name: str) -> Any:
        return self._data[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    # The dict's own methods, at C speed (Mapping's go through __getitem__ and KeyError).
    def get(self, name: str, default: Any = None) -> Any:
        return self._data.get(name, default)

    def __contains__(self, name: object) -> bool:
        return name in self._data

    def keys(self) -> KeysView[str]:
        return self._data.keys()

    def items(self) -> ItemsView[str, Any]:
        return self._data.items()

    def values(self) -> ValuesView[Any]:
        return self._data.values()

    def text(self, name: str, default: str = "") -> str:
        """The value as text ("" for structured values)."""
        value = self._data.get(name, default)
        return value if isinstance(value, str) else default

    def record_id(self, *names: str) -> int:
        """The record id in the first of ``names`` sent (``get_user_details`` takes any of
        ``userid``, ``id``, ``crmid``): ASCII digits up to the store's largest id."""
        for name in names:
            value = self._data.get(name)
            if isinstance(value, str) and value.strip() != "":
                return parse_id(value.strip(), name, "record")
        raise RequestError(f"Missing parameter: {names[0]}")

    def required_id(self, name: str, noun: str = "record") -> int:
        """A required id of a link, campaign or report (the messages of ``crmid``'s)."""
        value = self._data.get(name)
        text = value.strip() if isinstance(value, str) else ""
        if text == "":
            raise RequestError(f"Missing parameter: {name}")
        return parse_id(text, name, noun)

    def flag(self, name: str) -> bool:
        """A true/false parameter: ``true``, ``1``, ``yes`` or ``on`` in any case is true."""
        return str(self._data.get(name, "")).strip().lower() in TRUE_WORDS


def parse_id(text: str, name: str, noun: str) -> int:
    """``text`` as an id: ASCII digits (leading zeros allowed) up to :data:`MAX_ID`. The
    length is checked before ``int()``, which refuses more than 4,300 digits."""
    digits = text.lstrip("0") or "0"
    if not (digits.isascii() and digits.isdigit()) or len(digits) > 19 or int(digits) > MAX_ID:
        raise RequestError(f"Invalid {name}: {shown(text)} is not a {noun} id")
    return int(digits)


def split_path(raw_path: bytes) -> tuple[str, dict[str, str]]:
    """The end point and the key/value pairs that follow it in the raw path.

    Each segment is percent-decoded on its own, as bytes then UTF-8, so an encoded ``%2F``
    stays inside its value and raw UTF-8 from clients that do not encode is read right.
    """
    if raw_path == API_PREFIX_BYTES.rstrip(b"/"):  # /api/rest: no end point
        return "", {}
    rest = raw_path[len(API_PREFIX) :] if raw_path.startswith(API_PREFIX_BYTES) else raw_path
    segments = [
        text_of(unquote_to_bytes(s) if b"%" in s else s) for s in rest.lstrip(b"/").split(b"/")
    ]
    end_point, pairs = segments[0], segments[1:]
    while pairs and pairs[-1] == "":
        pairs.pop()  # the trailing slash the guide's base URL carries
    values = {pairs[i]: pairs[i + 1] if i + 1 < len(pairs) else "" for i in range(0, len(pairs), 2)}
    return end_point, values


def text_of(raw: bytes) -> str:
    return raw.decode("utf-8", errors="replace")


def form_pairs(text: str) -> list[tuple[str, str]]:
    """``parse_qsl(text, keep_blank_values=True)``; a text with no percent escape (most
    calls') split at C speed: ``+`` is a space, a piece without ``=`` a blank value."""
    if "%" in text:
        return parse_qsl(text, keep_blank_values=True)
    if "+" in text:
        text = text.replace("+", " ")
    return [(name, value) for name, _, value in (p.partition("=") for p in text.split("&") if p)]


async def read(request: Request, path_values: dict[str, str], max_body: int) -> Params:
    data: dict[str, Any] = dict(path_values)
    sources = ["path"] if path_values else []
    query = request.scope.get("query_string", b"")
    if query:
        data.update(form_pairs(text_of(query)))
        sources.append("query")
    body_data, body_source = await read_body(request, max_body)
    if body_source:
        data.update(body_data)
        sources.append(body_source)
    return Params(data, "+".join(sources) or "none")


async def read_body(request: Request, max_body: int) -> tuple[dict[str, Any], str]:
    body = await read_limited(request, max_body)
    if not body:
        return {}, ""
    content_type = request.headers.get("content-type", "").lower()
    if content_type.startswith("multipart/form-data"):
        return await read_multipart(request, body, max_body), "multipart"
    if len(body) > THREAD_BYTES:  # 2 MB of form takes the event loop a quarter of a second
        return await anyio.to_thread.run_sync(parse_body, body, content_type)
    return parse_body(body, content_type)


def parse_body(body: bytes, content_type: str) -> tuple[dict[str, Any], str]:
    """A JSON or urlencoded body's parameters and its source format."""
    if body.lstrip()[:1] in (b"{", b"[") or content_type.startswith("application/json"):
        return parse_json(body), "json"
    source = "form" if content_type.startswith("application/x-www-form-urlencoded") else "raw"
    return dict(form_pairs(text_of(body))), source


async def read_multipart(request: Request, body: bytes, max_body: int) -> dict[str, Any]:
    """The text fields of a multipart body (files are not parameters). A body that is not
    valid multipart is a badly formatted request: ``Unauthorized`` (guide, "Error Messages")."""

    async def chunks() -> AsyncGenerator[bytes, None]:
        yield body

    parser = MultiPartParser(request.headers, chunks(), max_part_size=max_body)
    try:
        form = await parser.parse()
    except MultiPartException:
        raise Unauthorized() from None
    fields = {k: v for k, v in form.items() if isinstance(v, str)}
    await form.close()
    return fields


async def read_limited(request: Request, max_body: int) -> bytes:
    declared = request.headers.get("content-length", "")
    if declared.isascii() and declared.isdigit() and int(declared) > max_body:
        raise BodyTooLarge(max_body)
    chunks: list[bytes] = []
    size, receive = 0, request.receive  # ASGI's messages, as Request.stream reads them
    while True:
        message = await receive()
        if message["type"] != "http.request":  # http.disconnect
            raise RequestIncomplete()
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > max_body:
            raise BodyTooLarge(max_body)
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)  # one chunk: that chunk itself


def parse_json(body: bytes) -> dict[str, Any]:
    try:
        value = orjson.loads(body)
    except orjson.JSONDecodeError:
        raise Unauthorized() from None
    if not isinstance(value, dict):
        raise Unauthorized()
    return {str(k): php_value(v) for k, v in value.items()}


def php_value(value: Any) -> Any:
    """A JSON scalar as PHP casts it to a string; arrays and objects unchanged."""
    if isinstance(value, bool):
        return "1" if value else ""
    if value is None:
        return ""
    if isinstance(value, (list, dict)):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
