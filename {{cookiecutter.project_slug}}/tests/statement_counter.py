"""Counting the SQL statements a block of code sends to the database (the N+1 guard's tool).

`before_cursor_execute` on `Engine` rather than the ORM's `do_orm_execute`: it sees every
statement that goes through a DBAPI cursor, Core and ORM alike, whereas the ORM event misses a
Core query on a bare connection (the health check's, say). What it does not see is what a driver
sends on its own: asyncpg's BEGIN, COMMIT and ROLLBACK, a pool's pre-ping. SQLite's
`BEGIN IMMEDIATE` does go through a cursor, so `queries` leaves transaction control out: a bound
then means the same on both databases.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from sqlalchemy import Engine, event

TRANSACTION_CONTROL = frozenset({"BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE"})


@dataclass
class StatementLog:
    """The statements sent inside one `counting_statements()` block, in order."""

    statements: list[str] = field(default_factory=list)

    @property
    def queries(self) -> list[str]:
        """The statements that read or write, transaction control left out."""
        return [s for s in self.statements if _keyword(s) not in TRANSACTION_CONTROL]

    def assert_at_most(self, bound: int, what: str) -> None:
        """Fail with every statement listed, so that the message shows which one is new."""
        if len(self.queries) > bound:
            raise AssertionError(
                f"{what}: {len(self.queries)} statements, more than the bound of {bound}:\n{self}"
            )

    def __str__(self) -> str:
        return "\n".join(f"  {n}. {' '.join(q.split())}" for n, q in enumerate(self.queries, 1))


# Only statements of the block's own task, and of the tasks it starts (they copy the context),
# are counted: the app's outbox relay polls the same engine from a task of its own, and would
# otherwise add a statement now and then. SQLAlchemy's async layer carries the context into the
# greenlet that fires the event.
_current_log: ContextVar[StatementLog | None] = ContextVar("statement_log", default=None)


def _record(_conn: object, _cursor: object, statement: str, *_: object) -> None:
    log = _current_log.get()
    if log is not None:
        log.statements.append(statement)


@contextmanager
def counting_statements() -> Iterator[StatementLog]:
    """Every statement sent by any engine of this process inside the block.

    Listening on the `Engine` class reaches the app's engine without asking the app for it.
    """
    if _current_log.get() is not None:
        raise RuntimeError("counting_statements() blocks do not nest")
    log = StatementLog()
    token = _current_log.set(log)
    event.listen(Engine, "before_cursor_execute", _record)
    try:
        yield log
    finally:
        event.remove(Engine, "before_cursor_execute", _record)
        _current_log.reset(token)


def _keyword(statement: str) -> str:
    words = statement.split(maxsplit=1)
    return words[0].upper() if words else ""
