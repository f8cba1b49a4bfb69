"""A request's headers, looked up by name in a dict.

Starlette's :class:`~starlette.datastructures.Headers` finds a header by scanning every
header, and ``get`` of a missing one raises and catches a KeyError: a call looks up some
ten (host, user-agent, content-type, content-length, the key pair's headers...), about a
tenth of a get_contact's time in process. :class:`Indexed` is the same Headers (the same
list, ``getlist``, ``items``, equality), with each name's first value in a dict, made on
the first look-up: what Headers' own look-up finds.
"""

from __future__ import annotations

from typing import Any

from starlette.datastructures import Headers
from starlette.requests import Request

#: The names the pipeline looks up on every call, encoded once.
NAMES = {
    name: name.encode("latin-1")
    for name in ("host", "user-agent", "content-type", "content-length", "key1", "key2", "accept")
}


class Indexed(Headers):
    _first: dict[bytes, bytes] | None = None

    def index(self) -> dict[bytes, bytes]:
        if self._first is None:
            self._first = dict(reversed(self._list))  # the first of a repeated name wins
        return self._first

    def __getitem__(self, key: str) -> str:
        found = self.index().get(key.lower().encode("latin-1"))
        if found is None:
            raise KeyError(key)
        return found.decode("latin-1")

    def get(self, key: str, default: Any = None) -> Any:
        index = self._first if self._first is not None else self.index()
        found = index.get(NAMES.get(key) or key.lower().encode("latin-1"))
        return default if found is None else found.decode("latin-1")

    def __contains__(self, key: Any) -> bool:
        return key.lower().encode("latin-1") in self.index()


def index_headers(request: Request) -> None:
    """``request.headers`` from now on: an :class:`Indexed` of the request's headers (as
    Starlette's property does, the object is kept on the request)."""
    request._headers = Indexed(scope=request.scope)
