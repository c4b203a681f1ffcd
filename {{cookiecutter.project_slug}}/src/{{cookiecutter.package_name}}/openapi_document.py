"""`make openapi`: write the OpenAPI document the app serves to openapi.json, the API's contract.

The committed file is what callers were promised: tests/unit/test_openapi_contract.py fails when
the served document drifts from it, naming each breaking change (docs/for-callers.md, "How the
contract is versioned"). Rewrite it on purpose, after reading what changed; never only to make
that test pass.
"""

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .main import create_app
from .shared.settings import Settings

DOCUMENT_PATH = Path("openapi.json")


def served_document(settings: Settings) -> dict[str, Any]:
    """The document as `/openapi.json` serves it: through JSON, so that tuples become lists."""
    document: dict[str, Any] = json.loads(json.dumps(create_app(settings).openapi()))
    return document


def document_settings() -> Settings:
    """Docs on, whatever the environment; not this checkout's `.env`, whose values are its own.
    An in-memory database: building the app must not create a database file."""
    return Settings(_env_file=None, docs_enabled=True, database_url="sqlite+aiosqlite://")


def render(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="make openapi", description=__doc__)
    parser.add_argument("--output", type=Path, default=DOCUMENT_PATH)
    parser.add_argument(
        "--if-missing", action="store_true", help="keep an existing file (what `make install` does)"
    )
    args = parser.parse_args(argv)
    output: Path = args.output
    if args.if_missing and output.exists():
        return 0
    output.write_text(render(served_document(document_settings())), encoding="utf-8")
    print(f"wrote {output}: commit it, it is the contract the tests hold the API to")
    return 0


if __name__ == "__main__":
    sys.exit(main())
