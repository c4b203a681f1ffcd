"""A request's view of a process-wide adapter: the same object with one attribute changed.

Three adapters make such a view on every request (`reading_through`), so that the request's
reads share its one round trip to Redis (read_batch.py). `copy.copy` would do the same, but its
generic path (`__reduce_ex__`) cost about 2 µs a view, four views per cached item read
(docs/adr/0005-measured-tuning.md).
"""

from typing import TypeVar

T = TypeVar("T")


def request_view(shared: T, **changes: object) -> T:
    """A shallow copy of `shared` (a plain class, not slotted) with `changes` set on it."""
    view: T = object.__new__(type(shared))
    view.__dict__.update(shared.__dict__, **changes)
    return view
