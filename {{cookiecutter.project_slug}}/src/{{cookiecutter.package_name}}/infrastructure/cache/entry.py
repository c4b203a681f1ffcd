"""A cache entry as Redis holds it: a documented JSON envelope around one value, never pickle.

    {"schema": 1, "generation": "<token>", "stamps": ["<token>", ...], "value": {...}}

`value` is the codec's JSON for the cached value (access_state_codec.py shows one). JSON
because a cache is read by whatever version of the code runs next (and by people with
`redis-cli`), and because unpickling bytes from a shared server runs whatever they say.
"""

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

V = TypeVar("V")


class JsonCodec(Protocol[V]):
    """How one kind of value is written into an entry. Bump `schema_version` whenever the
    shape changes: the keys change with it, so old and new code never read each other's."""

    schema_version: int

    def to_json(self, value: V) -> dict[str, Any]: ...

    def from_json(self, data: Mapping[str, Any]) -> V: ...


@dataclass(frozen=True, slots=True)
class Versions:
    """The tokens a lookup saw (`None`: missing). A fill records them; a hit must match them."""

    generation: str | None
    stamps: tuple[str | None, ...]
    stamp_names: tuple[str, ...]


def encode_entry(codec: JsonCodec[V], value: V, generation: str, stamps: list[str]) -> str:
    entry = {
        "schema": codec.schema_version,
        "generation": generation,
        "stamps": stamps,
        "value": codec.to_json(value),
    }
    return json.dumps(entry, separators=(",", ":"))


def decode_entry(codec: JsonCodec[V], raw: bytes | str, seen: Versions) -> V | None:
    """The value, if the entry was written under exactly the tokens `seen`, all present.
    Raises on an entry that is not one (corrupt, or written by other code)."""
    if seen.generation is None or None in seen.stamps:
        return None
    entry = json.loads(raw)
    if entry["generation"] != seen.generation or entry["stamps"] != list(seen.stamps):
        return None
    return codec.from_json(entry["value"])
