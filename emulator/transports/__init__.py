"""In-process transports: HTTP clients of the usual libraries that call an ASGI app directly.

No socket, no server, no thread of their own: the app runs on an event loop of the calling
thread (``asgi``), and each library gets an answer, or an error, of its own kind. Each module
imports its library when it is imported, and this package imports none of them:

- ``emulator.transports.httpx``: ``InProcessTransport`` for ``httpx.Client(transport=...)``,
  ``AsyncInProcessTransport`` for ``httpx.AsyncClient`` (runs on the caller's loop).
- ``emulator.transports.httpx2``: the same two for httpx2.
- ``emulator.transports.requests``: ``InProcessAdapter``, a transport adapter to mount on a
  ``requests.Session``.

For example::

    client = httpx.Client(transport=InProcessTransport(app), base_url="http://127.0.0.1")

A dropped connection surfaces as each library's own error when a server closes a connection,
with the message that library gives a real one:

- httpx and httpx2: ``RemoteProtocolError`` (a ``TransportError``), "Server disconnected
  without sending a response." or "peer closed connection without sending complete message
  body (received 0 bytes, expected 64)";
- requests: ``requests.exceptions.ConnectionError``; part-way through an answer, an error that
  is both that and the ``ChunkedEncodingError`` requests raises on a real socket.

How an app drops the connection, from the most direct way:

- it sends the message ``{"type": DROP}`` when ``scope["extensions"]`` has the key ``DROP``
  (these transports always offer it; a real server does not, so an app checks first);
- it raises a ``ConnectionError`` (``ConnectionAbortedError``, say), before or after it
  starts its answer;
- it returns without finishing its answer (no start, or a body with ``more_body`` left on).

Any other exception the app raises reaches the caller as it is (``raise_app_exceptions``, as
with Starlette's TestClient); with ``raise_app_exceptions=False`` the caller gets the answer
the app sent (a 500, say) or, if it sent none, a dropped connection.
"""

#: The ASGI extension, and the message type, with which an app drops the connection.
DROP = "emulator.connection.drop"

__all__ = ["DROP"]
