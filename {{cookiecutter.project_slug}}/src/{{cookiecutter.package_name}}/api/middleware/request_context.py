"""Gives each request an id (honouring `X-Request-ID`) and a trace id, even with tracing off;
every answer carries the id and, where the request was counted, its `RateLimit-*` headers."""

import random
import re

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ...shared.request_context import (
    client_address_var,
    fallback_trace_id_var,
    request_id_var,
    user_id_var,
)
from ..rate_limits import rate_limit_headers

REQUEST_ID_HEADER = b"x-request-id"
# An incoming id is logged, so it must be short and printable (no log injection).
ACCEPTABLE_REQUEST_ID = re.compile(rb"^[A-Za-z0-9._:-]{1,128}$")
TRACEPARENT = re.compile(rb"^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$")


class RequestContextMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        request_id = _request_id(headers.get(REQUEST_ID_HEADER))
        # Not reset afterwards on purpose: the ASGI server runs each request in a context of its
        # own, and the 500 handler (in Starlette's outermost middleware) still needs these values.
        request_id_var.set(request_id)
        fallback_trace_id_var.set(_fallback_trace_id(headers.get(b"traceparent")))
        user_id_var.set(None)  # until a token is verified (api/security.py)
        client = scope.get("client")
        client_address_var.set(client[0] if client else None)

        async def send_with_request_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                # Raw pairs, as the other layers add theirs: Starlette's MutableHeaders would
                # parse the whole list first. A new list: the response may reuse the one it sent.
                message["headers"] = [
                    *message.get("headers", ()),
                    (REQUEST_ID_HEADER, request_id.encode()),
                    *rate_limit_headers(scope),
                ]
            await send(message)

        await self.app(scope, receive, send_with_request_id)


def _request_id(incoming: bytes | None) -> str:
    if incoming is not None and ACCEPTABLE_REQUEST_ID.match(incoming):
        return incoming.decode()
    return _random_id()


def _fallback_trace_id(traceparent: bytes | None) -> str:
    match = TRACEPARENT.match(traceparent) if traceparent else None
    if match and match.group(1) != b"0" * 32:
        return match.group(1).decode()
    return _random_id()


def _random_id() -> str:
    # 128 bits as 32 hex digits, the shape of a W3C trace id. They must be unique, not secret:
    # `random` (as OpenTelemetry's own id generator uses) spares every request two system
    # calls to the kernel's random source.
    return f"{random.getrandbits(128):032x}"
