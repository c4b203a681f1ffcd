"""The resource docs/adding-a-resource.md adds, asked over HTTP of the service the reader runs.

The page's own end-to-end tests run the app in-process on databases the test fixtures migrate;
this starts `serve` as the reader would at the end of the page, in embedded mode, on the
database the page's `make migrate` upgraded with the revision it generated.
"""

from __future__ import annotations

import json
import urllib.parse
import urllib.request
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from served_bake import create_admin, serving

ADMIN_EMAIL = "walkthrough-admin@example.com"
ADMIN_PASSWORD = "Walkthrough-tags-5931"  # noqa: S105 (a throwaway bake's admin)


def assert_tags_answer_over_http(project: Path, environment: Mapping[str, str]) -> None:
    """An administrator creates, reads, lists and deletes a tag through the running service."""
    create_admin(project, environment, ADMIN_EMAIL, ADMIN_PASSWORD)
    with serving(project, environment) as base_url:
        _create_read_list_delete_a_tag(base_url)


def _create_read_list_delete_a_tag(base_url: str) -> None:
    form = urllib.parse.urlencode({"username": ADMIN_EMAIL, "password": ADMIN_PASSWORD})
    _, tokens = _call(f"{base_url}/api/v1/auth/token", "POST", form.encode(), {})
    headers = {"Authorization": f"Bearer {tokens['access_token']}"}
    status, tag = _call(f"{base_url}/api/v1/tags", "POST", {"name": "walkthrough"}, headers)
    assert (status, tag["name"]) == (201, "walkthrough")
    assert _call(f"{base_url}/api/v1/tags/{tag['id']}", "GET", None, headers) == (200, tag)
    listed = _call(f"{base_url}/api/v1/tags", "GET", None, headers)[1]
    assert [found["id"] for found in listed["data"]] == [tag["id"]]
    assert _call(f"{base_url}/api/v1/tags/{tag['id']}", "DELETE", None, headers)[0] == 204


def _call(url: str, method: str, body: Any, headers: dict[str, str]) -> tuple[int, Any]:
    """One request: a dict body goes as JSON, bytes as a form; the status and the JSON answer."""
    if isinstance(body, dict):
        data, kind = json.dumps(body).encode(), "application/json"
    else:
        data, kind = body, "application/x-www-form-urlencoded"
    request = urllib.request.Request(  # noqa: S310 (the service on 127.0.0.1)
        url, data=data, method=method, headers={**headers, "Content-Type": kind}
    )
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        content = response.read()
        return response.status, json.loads(content) if content else None
