"""Security headers on every response, and the request body limit (`MAX_BODY_BYTES`).

One pure ASGI layer for both, with its headers built once: per request it costs a comparison and
a list copy, on the benchmarked cached read too (docs/operations.md, "Bounds").
"""

from collections.abc import Collection

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .problem_messages import send_problem

# An API answers JSON: nothing in it may load, run or frame anything.
API_POLICY = b"default-src 'none'; frame-ancestors 'none'"
# The docs pages load Swagger UI and ReDoc from this service (fastapi-offline), and start them
# with an inline script; no request input reaches that script, so 'unsafe-inline' is confined
# to them. Nothing else is allowed: ReDoc's logo from its CDN stays blocked, as offline.
DOCS_POLICY = (
    b"default-src 'self'; "
    b"script-src 'self' 'unsafe-inline'; "
    b"style-src 'self' 'unsafe-inline'; "
    b"img-src 'self' data:; "
    b"worker-src 'self' blob:; connect-src 'self'; frame-ancestors 'none'"
)
TOO_LARGE_DETAIL = "The request body exceeds {limit} bytes."


class BodyTooLarge(HTTPException):
    """Raised while a body without a declared length is read: FastAPI lets it through to the
    problem handlers as it is, where any other error reading a body would become a 400."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, TOO_LARGE_DETAIL.format(limit=limit))


class SecurityMiddleware:
    def __init__(
        self,
        app: ASGIApp,
        *,
        max_body_bytes: int,
        hsts_seconds: int,
        docs_paths: Collection[str],
    ) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        common = [
            (b"x-content-type-options", b"nosniff"),
            (b"referrer-policy", b"no-referrer"),
            (b"x-frame-options", b"DENY"),
        ]
        if hsts_seconds:
            hsts = b"max-age=%d; includeSubDomains" % hsts_seconds
            common.append((b"strict-transport-security", hsts))
        self.api_headers = (*common, (b"content-security-policy", API_POLICY))
        self.docs_headers = (*common, (b"content-security-policy", DOCS_POLICY))
        self.docs_paths = frozenset(docs_paths)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = self.docs_headers if scope["path"] in self.docs_paths else self.api_headers

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                # A new list: the response object may reuse the one it handed over.
                message["headers"] = [*message.get("headers", ()), *extra]
            await send(message)

        declared = _content_length(scope)
        if declared is not None and declared > self.max_body_bytes:
            # Refused unread: the server discards the body, or closes the connection.
            limit = self.max_body_bytes
            await send_problem(send_with_headers, scope, 413, TOO_LARGE_DETAIL.format(limit=limit))
            return
        if declared is None:  # a chunked body: counted as it arrives
            receive = self._within_limit(receive)
        await self.app(scope, receive, send_with_headers)

    def _within_limit(self, receive: Receive) -> Receive:
        received = 0

        async def receive_within_limit() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body_bytes:
                    raise BodyTooLarge(self.max_body_bytes)
            return message

        return receive_within_limit


def _content_length(scope: Scope) -> int | None:
    for name, value in scope["headers"]:
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None
