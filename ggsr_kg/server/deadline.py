"""A deadline for receiving each whole request, which uvicorn does not have (see docs/server.md)."""

from __future__ import annotations

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

REQUEST_DEADLINE = 30.0  # seconds to send a whole request (headers and body)


class DeadlineProtocol(H11Protocol):
    """uvicorn's h11 protocol with a deadline for receiving each whole request.

    uvicorn resets its keep-alive timer on every byte received and has no other timeout while a
    request comes in, so a client sending one header line every 20 s held a connection for ever.
    Here the clock starts when the connection opens (and again when an answer has been sent on a
    kept-alive connection) and stops when the request is complete; at ``REQUEST_DEADLINE`` the
    client gets ``408`` and the connection is closed."""

    request_deadline = REQUEST_DEADLINE

    def connection_made(self, transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._deadline = None
        self._arm()

    def _arm(self) -> None:
        self._disarm()
        self._deadline = self.loop.call_later(self.request_deadline, self._too_slow)

    def _disarm(self) -> None:
        if getattr(self, "_deadline", None) is not None:
            self._deadline.cancel()
            self._deadline = None

    def handle_events(self) -> None:
        super().handle_events()
        if self.conn.their_state in (h11.DONE, h11.MUST_CLOSE, h11.CLOSED, h11.ERROR):
            self._disarm()  # the whole request is in

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing():
            self._arm()  # the next request on this connection has the same deadline

    def connection_lost(self, exc) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _too_slow(self) -> None:
        self._deadline = None
        if self.transport.is_closing():
            return
        if self.conn.our_state in (h11.IDLE, h11.SEND_RESPONSE) and self.conn.their_state not in (
            h11.DONE,
            h11.MUST_CLOSE,
        ):
            text = (
                f"verzoek niet binnen {self.request_deadline:.0f} s ontvangen / request not "
                f"received within {self.request_deadline:.0f} s\n"
            ).encode()
            headers = [
                (b"content-type", b"text/plain; charset=utf-8"),
                (b"content-length", str(len(text)).encode()),
                (b"connection", b"close"),
            ]
            try:
                data = self.conn.send(h11.Response(status_code=408, headers=headers))
                data += self.conn.send(h11.Data(data=text)) + self.conn.send(h11.EndOfMessage())
                self.transport.write(data)
            except h11.LocalProtocolError:
                pass
        self.transport.close()
