"""schemathesis hooks for this service's document: for the fuzz tests, which import them, and for
`schemathesis run` against a running service (`SCHEMATHESIS_HOOKS=tests.fuzz.hooks`)."""

from typing import Any

import schemathesis
from schemathesis import HookContext


@schemathesis.hook
def map_body(context: HookContext, body: Any) -> Any:
    """Prices in cents. A JSON number has no decimal places to declare: the document cannot say
    that the service refuses a price with more than two (a 422), so generated prices keep to two.
    (Whatever the fuzzer sends, a 5xx or an undeclared answer still fails the test.)"""
    if isinstance(body, dict) and isinstance(body.get("price"), float):
        return {**body, "price": round(body["price"], 2)}
    return body
