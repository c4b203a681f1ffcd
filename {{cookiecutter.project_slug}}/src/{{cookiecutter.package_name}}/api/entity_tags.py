"""Entity tags (RFC 9110, section 8.8.3) from an item's version, and the conditions on them.

The tag is a strong one, `"<version>"`: the body is a pure function of the stored version, and
`If-Match` compares strongly (section 13.1.1), so a weak tag could never satisfy it. It costs an
integer format, read from the cached item on a hit: no SQL, no hashing of the body.
"""

import re
from typing import Annotated

from fastapi import Header

# One entity-tag of a list: optional weakness, then the quoted opaque part.
ENTITY_TAG = re.compile(r'\s*(W/)?"([\x21\x23-\x7e\x80-\xff]*)"\s*(?:,|$)')

IfNoneMatch = Annotated[
    str | None,
    Header(description="ETags you hold: 304 Not Modified when the item still has one of them."),
]
IfMatch = Annotated[
    str | None,
    Header(
        description="The ETag you read: 412 Precondition Failed when the item changed since. "
        "Without it, the last write wins."
    ),
]


def entity_tag(version: int) -> str:
    return f'"{version}"'


def none_match(if_none_match: str, version: int) -> bool:
    """False when the client holds the current representation (weak comparison: W/ is ignored)."""
    if if_none_match.strip() == "*":
        return False
    return str(version) not in {opaque for _, opaque in ENTITY_TAG.findall(if_none_match)}


def expected_versions(if_match: str | None) -> frozenset[int] | None:
    """The versions `If-Match` accepts, or None when it sets no condition (absent, or `*`: the
    item must exist, which every write checks anyway). Weak tags, and tags this service never
    gave out, match no version (strong comparison): an empty set, so the write answers 412."""
    if if_match is None or if_match.strip() == "*":
        return None
    return frozenset(
        int(opaque)
        for weak, opaque in ENTITY_TAG.findall(if_match)
        if not weak and opaque.isascii() and opaque.isdigit() and len(opaque) < 19
    )
