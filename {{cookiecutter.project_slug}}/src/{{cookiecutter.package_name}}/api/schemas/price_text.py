"""A price given as text: what the OpenAPI document says, and the check that holds to it.

A price may come as a JSON number or as text (`"19.99"`, as the service writes it). Decimal would
read more than the document can describe (`"1e2"`, `" 5"`), so text is digits with at most two
decimals, a pattern the document states and the check below applies. (A JSON number with more
than two decimals is refused too, which JSON Schema has no portable way to say.)
"""

import re
from dataclasses import dataclass
from typing import Any

from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, PydanticCustomError, core_schema

PRICE_TEXT = "^[0-9]{1,10}([.][0-9]{1,2})?$"
_PRICE_TEXT = re.compile(PRICE_TEXT)


def _refuse_other_text(value: object) -> object:
    if isinstance(value, str) and not _PRICE_TEXT.fullmatch(value):
        raise PydanticCustomError(
            "price_text", "A price as text is digits with at most two decimals, like 19.99"
        )
    return value


@dataclass(frozen=True)
class PriceText:
    """Put in a price's `Annotated[Decimal, ...]`: checks text before Decimal reads it, and
    writes the pattern into the document's string form of the price."""

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        return core_schema.no_info_before_validator_function(_refuse_other_text, handler(source))

    def __get_pydantic_json_schema__(
        self, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        json_schema = handler(schema)
        for form in json_schema.get("anyOf", []):
            if form.get("type") == "string":
                form["pattern"] = PRICE_TEXT
        return json_schema
