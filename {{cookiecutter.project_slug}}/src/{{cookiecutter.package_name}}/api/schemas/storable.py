"""Input checks for text the service stores or hashes, shared by bodies, forms, query and path
parameters alike: what it cannot hold is a 422 in every run mode, never a driver error.

PostgreSQL's `text` cannot hold the NUL character, which SQLite stores: unchecked, the same
request is a 201 in embedded mode and a 500 in server mode. A lone UTF-16 surrogate (JSON allows
`"\\ud800"`) cannot be encoded for any database or hash. Integers stay in the range of their
column through each parameter's own bounds (`le=`), as `offset` shows.

Put `STORABLE` last in an `Annotated[...]`, after any `StringConstraints`, so it sees the
stripped value: `Annotated[str, StringConstraints(max_length=200), STORABLE]`.
"""

from typing import Annotated

from pydantic import AfterValidator, SecretStr
from pydantic_core import PydanticCustomError


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


STORABLE = AfterValidator(refuse_unstorable)
STORABLE_SECRET = AfterValidator(_refuse_unstorable_secret)
StorableText = Annotated[str, STORABLE]
