"""The baked service's /docs page in headless Chromium, as a newcomer uses it with no network:
the page renders from the service's own assets, Authorize signs in as an admin through
/api/v1/auth/token, and "Try it out" on GET /api/v1/users/me answers 200."""

from __future__ import annotations

import json
import socket
import subprocess
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

from browser import Page, open_page

ADMIN_EMAIL = "admin@example.com"
ADMIN_PASSWORD = "Offline-docs-page-8472"  # noqa: S105 (a throwaway bake's demo admin)
READ_ME = "#operations-users-read_me_api_v1_users_me_get"
# Swagger UI's inputs are React's: a value counts once React has seen an input event.
TYPE = """(() => {
  const input = document.querySelector(%s);
  Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set.call(input, %s);
  input.dispatchEvent(new Event('input', {bubbles: true}));
})()"""


def package_name_of(project: Path) -> str:
    """The bake's answers are kept in .cruft.json; its command is named after its package."""
    answers = json.loads((project / ".cruft.json").read_text())["context"]["cookiecutter"]
    name: str = answers["package_name"]
    return name


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def wait_until_live(base_url: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert server.poll() is None, "the service exited at start-up"
        try:
            with urllib.request.urlopen(f"{base_url}/health/live", timeout=2):  # noqa: S310
                return
        except OSError:
            time.sleep(0.5)
    raise AssertionError(f"{base_url} did not come up")


def is_on_this_machine(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme == "data" or parts.hostname == "127.0.0.1"


def click(page: Page, selector: str) -> None:
    page.wait_for(f"!!document.querySelector({json.dumps(selector)})")
    page.evaluate(f"document.querySelector({json.dumps(selector)}).click()")


def sign_in_and_read_me(page: Page) -> str:
    click(page, ".auth-wrapper button.authorize")
    page.wait_for("!!document.querySelector('#oauth_username')")
    for field, value in (("#oauth_username", ADMIN_EMAIL), ("#oauth_password", ADMIN_PASSWORD)):
        page.evaluate(TYPE % (json.dumps(field), json.dumps(value)))
    click(page, ".modal-ux .auth-btn-wrapper button.authorize")
    # Signed in, the dialog offers Logout instead of Authorize.
    page.wait_for(
        "[...document.querySelectorAll('.modal-ux button')]"
        ".some(button => button.textContent.trim() === 'Logout')"
    )
    click(page, ".modal-ux button.btn-done")
    click(page, f"{READ_ME} .opblock-summary-control")
    click(page, f"{READ_ME} button.try-out__btn")
    click(page, f"{READ_ME} button.execute")
    status: str = page.wait_for(
        f"document.querySelector('{READ_ME} .live-responses-table .response .response-col_status')"
        "?.textContent.trim()"
    )
    return status


def assert_docs_page_works_offline(project: Path, environment: dict[str, str], shot: Path) -> None:
    """Embedded mode (SQLite files, no servers), as `make demo` runs it."""
    command = project / ".venv/bin" / package_name_of(project)
    for step, stdin in (
        (["migrate"], ""),
        (["create-admin", "--email", ADMIN_EMAIL, "--password-stdin"], ADMIN_PASSWORD),
    ):
        subprocess.run(
            [command, *step],
            cwd=project,
            env=environment,
            input=stdin,
            text=True,
            check=True,
            capture_output=True,
        )
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [command, "serve", "--port", str(port)],
        cwd=project,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_until_live(base_url, server)
        with open_page() as page:
            page.send("Page.navigate", url=f"{base_url}/docs")
            operations = page.wait_for("document.querySelectorAll('.opblock').length")
            status = sign_in_and_read_me(page)
            shot.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(shot)
            requested = page.requested_urls()
    finally:
        server.terminate()
        server.wait(timeout=30)

    assert operations >= 10  # every route of the OpenAPI document, rendered
    assert status == "200", status
    assert f"{base_url}/static-offline-docs/swagger-ui-bundle.js" in requested
    assert [url for url in requested if not is_on_this_machine(url)] == []
