"""What every problem-details response must look like (SPEC section 6)."""

import re

import httpx

TRACE_ID = re.compile(r"^[0-9a-f]{32}$")


def assert_problem(response: httpx.Response, status: int) -> dict[str, object]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, object] = response.json()
    assert body["status"] == status
    assert body["instance"] == response.request.url.path
    assert isinstance(body["type"], str)
    assert body["type"]
    assert isinstance(body["title"], str)
    assert body["title"]
    assert isinstance(body["detail"], str)
    assert body["detail"]
    assert TRACE_ID.match(str(body["trace_id"]))
    return body
