"""Problems answered by middleware, outside routing, where no exception handler can help."""

import json

from starlette.types import Scope, Send

from ..problems import PROBLEM_JSON, problem_body

_CONTENT_TYPE = (b"content-type", PROBLEM_JSON.encode())


async def send_problem(
    send: Send, scope: Scope, status: int, detail: str, *, retry_after_seconds: int | None = None
) -> None:
    body = json.dumps(problem_body(scope["path"], status, detail)).encode()
    headers = [_CONTENT_TYPE, (b"content-length", b"%d" % len(body))]
    if retry_after_seconds is not None:
        headers.append((b"retry-after", b"%d" % retry_after_seconds))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
