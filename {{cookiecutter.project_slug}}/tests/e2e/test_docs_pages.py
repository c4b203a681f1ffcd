"""The docs pages load every script, style and icon from this service: they work offline.

The template's own tests open /docs in headless Chromium, sign in and call the API from it.
"""

import re

import httpx
import pytest

# src="..." and href="..." in the page's HTML: what the browser fetches before anything runs.
ASSET_REFERENCE = re.compile(r'(?:src|href)="([^"]+)"')


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
async def test_docs_page_assets_are_served_by_the_service(
    client: httpx.AsyncClient, page: str
) -> None:
    html = (await client.get(page)).text
    assets = ASSET_REFERENCE.findall(html)

    assert any(asset.endswith(".js") for asset in assets)
    for asset in assets:
        assert asset.startswith("/static-offline-docs/"), asset
        answer = await client.get(asset)
        assert answer.status_code == 200, asset
        assert answer.content


async def test_swagger_ui_sends_nothing_to_its_online_validator(client: httpx.AsyncClient) -> None:
    html = (await client.get("/docs")).text

    assert '"validatorUrl": null' in html
