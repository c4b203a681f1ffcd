"""How a JSON Schema changed, as a caller sees it: what it sends (request) or reads (response).

A request schema breaks callers when it accepts less: a type, an enum value or a field gone, a
field newly required, a tighter bound. A response schema breaks them when it promises less: a
field gone or no longer always there, a new type (null, say) or enum value they do not expect.
"""

import json
from dataclasses import dataclass, field
from typing import Any, Literal

Json = dict[str, Any]
Direction = Literal["request", "response"]
ANY = "any"  # a schema with no type: it accepts every value
# Bounds that accept less when they go down, and when they go up.
UPPER_BOUNDS = ("maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties")
LOWER_BOUNDS = ("minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties")


@dataclass
class Changes:
    breaking: list[str] = field(default_factory=list)
    non_breaking: list[str] = field(default_factory=list)

    def note(self, is_breaking: bool, change: str) -> None:
        (self.breaking if is_breaking else self.non_breaking).append(change)


def resolve(schema: Json, document: Json) -> Json:
    """Follow `$ref`s such as `#/components/schemas/Item` to the schema they name."""
    while "$ref" in schema:
        target: Any = document
        for part in schema["$ref"].removeprefix("#/").split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        schema = target
    return schema


def json_type_of(value: object) -> str:
    names = {bool: "boolean", int: "integer", float: "number", str: "string", type(None): "null"}
    return names.get(type(value), "array" if isinstance(value, list) else "object")


def kinds(schema: Json, document: Json) -> dict[str, Json]:
    """The schema's JSON types, each with the part of the schema that describes it (so that
    `Item | None` is an object described by Item, or null)."""
    schema = resolve(schema, document)
    variants = schema.get("anyOf") or schema.get("oneOf") or schema.get("allOf")
    if variants:
        found: dict[str, Json] = {}
        for variant in variants:
            for kind, part in kinds(variant, document).items():
                found.setdefault(kind, part)
        return found
    declared = schema.get("type")
    if isinstance(declared, str):
        return {declared: schema}
    if isinstance(declared, list):
        return dict.fromkeys(declared, schema)
    if "properties" in schema:
        return {"object": schema}
    if "items" in schema:
        return {"array": schema}
    values = schema.get("enum", [schema["const"]] if "const" in schema else [])
    return {json_type_of(value): schema for value in values} or {ANY: schema}


def counterpart(kind: str, other: dict[str, Json]) -> Json | None:
    """The part of the other schema that takes values of this kind: a number takes integers."""
    if kind in other:
        return other[kind]
    if kind == "integer" and "number" in other:
        return other["number"]
    return other.get(ANY)


def enum_values(schema: Json) -> set[str] | None:
    if "enum" in schema:
        return {json.dumps(value) for value in schema["enum"]}
    return {json.dumps(schema["const"])} if "const" in schema else None


@dataclass
class SchemaComparison:
    """Compares schemas of the committed document (`old`) with the served one's (`new`)."""

    old_document: Json
    new_document: Json
    changes: Changes

    def compare(self, old: Json, new: Json, where: str, direction: Direction) -> None:
        self._compare(old, new, where, direction, "", set())

    def _compare(
        self, old: Json, new: Json, where: str, direction: Direction, path: str, seen: set[str]
    ) -> None:
        old, new = resolve(old, self.old_document), resolve(new, self.new_document)
        # Not `old == new`: equal schemas can name changed ones (`$ref`s are only names).
        visit = f"{id(old)}:{id(new)}"  # a recursive schema is compared once, not forever
        if visit in seen:
            return
        seen.add(visit)
        at = f"{where}: `{path or 'body'}`"
        old_kinds, new_kinds = kinds(old, self.old_document), kinds(new, self.new_document)
        self._compare_kinds(old_kinds, new_kinds, at, direction)
        for kind, old_part in old_kinds.items():
            new_part = counterpart(kind, new_kinds)
            if new_part is None:
                continue
            self._compare_values(old_part, new_part, at, direction)
            if kind == "object":
                self._compare_fields(old_part, new_part, where, direction, path, seen)
            elif kind == "array" and "items" in old_part and "items" in new_part:
                items = (old_part["items"], new_part["items"])
                self._compare(*items, where, direction, f"{path}[]", seen)

    def _compare_kinds(
        self, old: dict[str, Json], new: dict[str, Json], at: str, direction: Direction
    ) -> None:
        requests = direction == "request"
        for kind in sorted(old):
            if counterpart(kind, new) is None:
                lost = f"{at} no longer accepts {kind}" if requests else f"{at} is never {kind} now"
                self.changes.note(requests, lost)
        for kind in sorted(new):
            if counterpart(kind, old) is None:
                gained = f"{at} accepts {kind} too" if requests else f"{at} may now be {kind}"
                self.changes.note(not requests, gained)

    def _compare_values(self, old: Json, new: Json, at: str, direction: Direction) -> None:
        old_values, new_values = enum_values(old), enum_values(new)
        requests = direction == "request"
        if old_values is not None and new_values is None:
            self.changes.note(not requests, f"{at} enum dropped: any value now")
        elif old_values is None and new_values is not None:
            self.changes.note(requests, f"{at} enum narrowed: only {', '.join(sorted(new_values))}")
        elif old_values is not None and new_values is not None:
            if lost := sorted(old_values - new_values):
                self.changes.note(requests, f"{at} enum narrowed: lost {', '.join(lost)}")
            if gained := sorted(new_values - old_values):
                self.changes.note(not requests, f"{at} enum gained {', '.join(gained)}")
        if requests:
            self._compare_bounds(old, new, at)

    def _compare_bounds(self, old: Json, new: Json, at: str) -> None:
        for bound in UPPER_BOUNDS + LOWER_BOUNDS:
            old_bound, new_bound = old.get(bound), new.get(bound)
            if old_bound == new_bound:
                continue
            if new_bound is None:
                self.changes.note(False, f"{at} {bound} dropped")
                continue
            tighter = old_bound is None or (
                new_bound < old_bound if bound in UPPER_BOUNDS else new_bound > old_bound
            )
            change = "narrowed" if tighter else "widened"
            self.changes.note(tighter, f"{at} {bound} {change} to {new_bound}")
        if new.get("pattern") not in (None, old.get("pattern")):
            self.changes.note(True, f"{at} pattern changed to {new['pattern']!r}")

    def _compare_fields(
        self, old: Json, new: Json, where: str, direction: Direction, path: str, seen: set[str]
    ) -> None:
        old_fields, new_fields = old.get("properties", {}), new.get("properties", {})
        old_required, new_required = set(old.get("required", [])), set(new.get("required", []))
        prefix = f"{path}." if path else ""
        for name in sorted(old_fields.keys() - new_fields.keys()):
            self.changes.note(True, f"{where}: removed {direction} field `{prefix}{name}`")
        for name in sorted(new_fields.keys() - old_fields.keys()):
            if direction == "response":
                self.changes.note(False, f"{where}: added response field `{prefix}{name}`")
                continue
            required = name in new_required
            kind = "required" if required else "optional"
            self.changes.note(required, f"{where}: added {kind} request field `{prefix}{name}`")
        for name in sorted(old_fields.keys() & new_fields.keys()):
            at = f"{where}: {direction} field `{prefix}{name}`"
            if direction == "request" and name in new_required - old_required:
                self.changes.note(True, f"{at} newly required")
            if direction == "response" and name in old_required - new_required:
                self.changes.note(True, f"{at} may now be absent")
            if direction == "request" and name in old_required - new_required:
                self.changes.note(False, f"{at} now optional")
            fields = (old_fields[name], new_fields[name])
            self._compare(*fields, where, direction, f"{prefix}{name}", seen)
