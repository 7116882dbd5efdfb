"""uvicorn's HTTP/1.1 protocol, with the security headers on the one answer it writes itself.

A request uvicorn cannot parse (a broken header line, a request line or headers over h11's
limits, a body with both Content-Length and chunked encoding) is answered 400 "Invalid HTTP
request received." by uvicorn, before the application sees it, so the security middleware
(`assistant.api.security`) never gets to add its headers. `HeadedH11Protocol` adds the same
headers an API answer gets to that 400.

`send-assistant serve` runs uvicorn with this protocol and with WebSockets off: the app has no
WebSocket route, and with them on, an upgrade request is refused by the WebSocket library with a
bare 403; with them off, the app answers it as plain HTTP, with its headers.
"""

from __future__ import annotations

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

from assistant.api.security import API_POLICY, EVERY_RESPONSE

# The headers an API error gets from the middleware: those of every response, no-store and the API policy.
SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = tuple(
    (name.encode("latin-1"), value.encode("latin-1"))
    for name, value in (*EVERY_RESPONSE, ("cache-control", "no-store"), ("content-security-policy", API_POLICY))
)


class HeadedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol; its own 400 for an unreadable request carries the security headers."""

    def send_400_response(self, msg: str) -> None:
        headers = [(b"content-type", b"text/plain; charset=utf-8"), (b"connection", b"close"), *SECURITY_HEADERS]
        for event in (h11.Response(status_code=400, headers=headers, reason=b"Bad Request"),
                      h11.Data(data=msg.encode("ascii")), h11.EndOfMessage()):
            self.transport.write(self.conn.send(event))
        self.transport.close()
