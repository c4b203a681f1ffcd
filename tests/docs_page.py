"""The baked service's /docs page in headless Chromium, as a newcomer uses it with no network:
the page renders from the service's own assets, Authorize signs in as an admin through
/api/v1/auth/token, and "Try it out" on GET /api/v1/users/me answers 200."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlsplit

from browser import Page, open_page
from served_bake import create_admin, run_command, serving

ADMIN_EMAIL = "admin@example.com"
ADMIN_PASSWORD = "Offline-docs-page-8472"  # noqa: S105 (a throwaway bake's demo admin)
READ_ME = "#operations-users-read_me_api_v1_users_me_get"
# Swagger UI's inputs are React's: a value counts once React has seen an input event.
TYPE = """(() => {
  const input = document.querySelector(%s);
  Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set.call(input, %s);
  input.dispatchEvent(new Event('input', {bubbles: true}));
})()"""


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
    run_command(project, environment, "migrate")
    create_admin(project, environment, ADMIN_EMAIL, ADMIN_PASSWORD)
    with serving(project, environment) as base_url, open_page() as page:
        page.send("Page.navigate", url=f"{base_url}/docs")
        operations = page.wait_for("document.querySelectorAll('.opblock').length")
        status = sign_in_and_read_me(page)
        shot.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(shot)
        requested = page.requested_urls()

    assert operations >= 10  # every route of the OpenAPI document, rendered
    assert status == "200", status
    assert f"{base_url}/static-offline-docs/swagger-ui-bundle.js" in requested
    assert [url for url in requested if not is_on_this_machine(url)] == []
