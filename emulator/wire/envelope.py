"""How answers are put on the wire: the one place that decides the JSON shapes.

OpenCRM answers (guide, "Return Format"; observed-behaviour.md "Response shapes"):
- lists as a top-level JSON array of flat objects (``[]`` when empty), ``id``/``crmid`` as
  numbers and every field value as a string;
- single records as one flat object of strings with ``record_id`` and ``record_module``;
- counts and edit results as a bare JSON number, ``login`` as a bare JSON string;
- errors as ``{"error": "<message>"}``, HTTP 200 (the ``error_status`` setting can make
  them 401/400/404 instead): each error class carries its body (emulator/errors.py).

List rows are shaped where they are read, for speed: the store's SELECT labels ``id`` and
``crmid`` first and renders every value as its wire string (``store/flavours.py``).
``tests/http/test_routes.py`` walks every end point to check each shape.
"""

from __future__ import annotations

from typing import Any

import orjson
from starlette.responses import Response

MEDIA_TYPE = "application/json"
CONTENT_TYPE = MEDIA_TYPE.encode("latin-1")


def encode(value: Any) -> bytes:
    return orjson.dumps(value)


def respond(body: bytes, status: int = 200) -> Response:
    return Answer(body, status)


class Answer(Response):
    """Starlette's ``Response(body, status, media_type=MEDIA_TYPE)``, its two headers made
    at once: ``Response.__init__`` works them out from its arguments (render, init_headers:
    some 120 bytecodes a call). The same attributes, the same headers in the same order."""

    media_type = MEDIA_TYPE

    def __init__(self, body: bytes, status_code: int = 200) -> None:
        self.status_code = status_code
        self.background = None
        self.body = body
        if status_code < 200 or status_code in (204, 304):  # no length, as init_headers
            self.raw_headers = [(b"content-type", CONTENT_TYPE)]
        else:
            length = str(len(body)).encode()
            self.raw_headers = [(b"content-length", length), (b"content-type", CONTENT_TYPE)]


#: The keys a single record's answer adds to its fields (:func:`record`, the products of a
#: sales record): a record read as JSON text must have no field of these names.
ADDED = frozenset({"record_id", "record_module", "products"})


def record_json(fields: str, crmid: int, record_module: str) -> orjson.Fragment:
    """:func:`record` of a record's fields read as JSON text (store/answers.py), encoded as
    it would be: the text itself, ``record_id`` and ``record_module`` added at its end."""
    added = f'"record_id":"{crmid}","record_module":{orjson.dumps(record_module).decode()}'
    return orjson.Fragment(f"{fields[:-1]}{',' if len(fields) > 2 else ''}{added}}}")


def record(fields: dict[str, Any], crmid: int, record_module: str) -> dict[str, Any]:
    """A single record: its fields plus ``record_id`` and ``record_module`` (as strings)."""
    fields["record_id"] = str(crmid)
    fields["record_module"] = record_module
    return fields
