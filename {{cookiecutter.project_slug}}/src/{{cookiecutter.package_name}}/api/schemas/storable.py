"""Input checks for text the service stores or hashes, shared by bodies, forms, query and path
parameters alike: what it cannot hold is a 422 in every run mode, never a driver error.

PostgreSQL's `text` cannot hold the NUL character, which SQLite stores: unchecked, the same
request is a 201 in embedded mode and a 500 in server mode. A lone UTF-16 surrogate (JSON allows
`"\\ud800"`) cannot be encoded for any database or hash. Integers stay in the range of their
column through each parameter's own bounds (`le=`), as `offset` shows.

Put `STORABLE` last in an `Annotated[...]`, after any `StringConstraints`, so it sees the
stripped value: `Annotated[str, StringConstraints(max_length=200), STORABLE]`; text stripped and
then required (`strip_whitespace=True, min_length=1`) takes `STORABLE_NOT_BLANK` instead.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler, SecretStr
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, PydanticCustomError, core_schema

# The NUL rule as the OpenAPI document states it, so clients (and the fuzz tests) know a NUL is
# refused. Only in the document: validation stays the check below, no regex per request. (A
# lone surrogate has no portable JSON Schema spelling, and JSON text seldom carries one.)
WITHOUT_NUL = "^[^\\u0000]*$"
# What `strip_whitespace` strips (Unicode's White_Space, as Rust's `trim`), spelled out: regex
# engines disagree on what `\s` is.
_WHITESPACE = (
    "\\t\\n\\u000b\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000"
)
# For text that is stripped and then must not be empty: one character besides whitespace.
NOT_BLANK_WITHOUT_NUL = f"^[^\\u0000]*[^\\u0000{_WHITESPACE}][^\\u0000]*$"


def refuse_unstorable(value: str) -> str:
    if "\x00" in value:
        raise PydanticCustomError("string_nul", "Text cannot contain the NUL character (U+0000)")
    try:
        value.encode()
    except UnicodeEncodeError:
        raise PydanticCustomError(
            "string_unicode", "Text must be valid Unicode, without lone surrogates"
        ) from None
    return value


def _refuse_unstorable_secret(value: SecretStr) -> SecretStr:
    refuse_unstorable(value.get_secret_value())
    return value


@dataclass(frozen=True)
class _Storable:
    """An after-validator that also writes its NUL rule into the field's JSON Schema."""

    check: Callable[[Any], Any]
    pattern: str = WITHOUT_NUL

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        return core_schema.no_info_after_validator_function(self.check, handler(source))

    def __get_pydantic_json_schema__(
        self, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        json_schema = handler(schema)
        json_schema.setdefault("pattern", self.pattern)
        return json_schema


STORABLE = _Storable(refuse_unstorable)
# After `StringConstraints(strip_whitespace=True, min_length=1)`: the document says "not blank".
STORABLE_NOT_BLANK = _Storable(refuse_unstorable, NOT_BLANK_WITHOUT_NUL)
STORABLE_SECRET = _Storable(_refuse_unstorable_secret)
StorableText = Annotated[str, STORABLE]
